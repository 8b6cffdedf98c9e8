import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendantsOf, isAlive } from './process-tree.ts';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningSystem {
  readonly gatewayUrl: string;
  readonly dataDir: string;
  /** Milliseconds from spawning `talad up` until the gateway was ready. */
  readonly readyAfterMs: number;
  readonly process: ChildProcess;
  /** Everything talad printed so far. */
  output(): string;
  /** The processes talad started (services, PostgreSQL), as they are now. */
  processes(): number[];
  /** The pid of the service process with this instance id (`catalog-2`) right now, if it runs. */
  pidOf(instanceId: string): number | undefined;
  /** Sends `signal` to talad, as Ctrl-C would, and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<{ exitCode: number | null; survivors: number[] }>;
}

export interface StartOptions {
  /** An existing data directory (a warm start); a new temporary one when absent. */
  dataDir?: string;
  /** Added to every port, so tests and benchmarks do not collide with a running `npm start`. */
  portOffset?: number;
  readyTimeoutMs?: number;
  env?: Record<string, string>;
  /** Instances per service, as `--scale catalog=2`: `{ catalog: 2 }`. */
  scale?: Record<string, number>;
}

/** A fresh data directory that the embedded PostgreSQL's system user can reach. */
export async function makeDataDir(prefix = 'talad-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Starts the whole system exactly as `npm start` does, and waits until the gateway is ready. */
export async function startSystem(options: StartOptions = {}): Promise<RunningSystem> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const portOffset = options.portOffset ?? 0;
  const gatewayPort = 8080 + portOffset;
  const started = performance.now();
  const scale = Object.entries(options.scale ?? {}).map(([service, count]) => `${service}=${count}`);
  const child = spawn(
    process.execPath,
    [
      'tools/talad/src/main.ts',
      'up',
      '--data-dir',
      dataDir,
      '--port-offset',
      String(portOffset),
      ...(scale.length > 0 ? ['--scale', scale.join(',')] : []),
    ],
    {
      cwd: projectRoot,
      // Each system gets its own in-memory gateway cache: a shared Redis would carry answers from one
      // run's catalog (with its own product ids) into the next.
      env: { ...process.env, REDIS_URL: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
  let ready = false;
  while (!ready) {
    if (child.exitCode !== null) throw new Error(`talad exited with ${child.exitCode} before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the system was not ready in time:\n${output}`);
    }
    ready = /is up/.test(output) && (await isReady(`${gatewayUrl}/health/ready`));
    if (!ready) await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  const readyAfterMs = Math.round(performance.now() - started);

  return {
    gatewayUrl,
    dataDir,
    readyAfterMs,
    process: child,
    output: () => output,
    processes: () => (child.pid === undefined ? [] : descendantsOf(child.pid)),
    pidOf: (instanceId) =>
      (child.pid === undefined ? [] : descendantsOf(child.pid)).find((pid) =>
        environmentOf(pid).includes(`SERVICE_INSTANCE_ID=${instanceId}`),
      ),
    async stop(signal = 'SIGINT') {
      const started = child.pid === undefined ? [] : descendantsOf(child.pid);
      child.kill(signal);
      const exitCode = await exited;
      // Give the kernel a moment to reap processes that were already exiting.
      const survivorsAt = Date.now() + 2_000;
      let survivors = started.filter(isAlive);
      while (survivors.length > 0 && Date.now() < survivorsAt) {
        await new Promise((resolveWait) => setTimeout(resolveWait, 100));
        survivors = survivors.filter(isAlive);
      }
      return { exitCode, survivors };
    },
  };
}

/** A process's environment, `NAME=value` each (Linux); empty once it has gone. */
function environmentOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
  } catch {
    return [];
  }
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}
