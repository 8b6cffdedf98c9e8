import { describeExit, exited, spawnNode, stopChild } from './child-process.ts';
import type { LogStream } from './log-stream.ts';

export interface SeedRun {
  readonly service: string;
  readonly script: string;
  readonly databaseUrl: string;
  readonly cwd: string;
  readonly log: LogStream;
  /** Aborted when talad is asked to stop: the seed is stopped too. */
  readonly signal: AbortSignal;
}

/**
 * Runs a service's seed script as its own Node process, with the service's DATABASE_URL, its
 * output shown under the service's name. Rejects, quoting its last lines, if it fails.
 */
export async function runSeed(run: SeedRun): Promise<void> {
  run.signal.throwIfAborted();
  const child = spawnNode({
    script: run.script,
    cwd: run.cwd,
    env: { ...process.env, DATABASE_URL: run.databaseUrl },
    onLine: (line) => run.log.line(run.service, line),
  });
  const stop = (): void => void stopChild(child, 5_000);
  run.signal.addEventListener('abort', stop, { once: true });
  try {
    const exit = await exited(child);
    run.signal.throwIfAborted();
    if (exit.code !== 0) {
      const tail = run.log.tail(run.service).map((line) => `  ${line}`);
      throw new Error(
        `the seed of ${run.service} (${run.script}) ${describeExit(exit)}. Last lines:\n${tail.join('\n')}`,
      );
    }
  } finally {
    run.signal.removeEventListener('abort', stop);
  }
}
