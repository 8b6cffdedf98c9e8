import { connect } from 'node:net';
import { join } from 'node:path';
import { isAlive, postgresDirOf, readPid, readState, runningTalad } from './data-dir.ts';
import { print } from './output.ts';
import { isPortFree } from './ports.ts';
import { formatDuration } from './progress.ts';

/**
 * `talad status`: whether a `talad up` runs on this data dir, and how each of its processes answers
 * right now. Exit code 0: all ready; 1: running but something is not ready; 3: not running.
 */
export async function status(dataDir: string): Promise<number> {
  const pid = runningTalad(dataDir);
  const state = await readState(dataDir).catch(() => undefined);
  if (pid === undefined) {
    print(`Talad is not running (data dir ${dataDir}).`);
    const postmaster = readPid(join(postgresDirOf(dataDir), 'postmaster.pid'));
    if (postmaster !== undefined && isAlive(postmaster)) {
      print(`A PostgreSQL (pid ${postmaster}) is still running on it; \`npm run talad -- stop\` stops it.`);
    }
    return 3;
  }
  if (state?.run?.pid !== pid) {
    print(`Talad is starting (pid ${pid}), data in ${dataDir}.`);
    return 1;
  }

  const { run } = state;
  const upFor = formatDuration(Date.now() - Date.parse(run.startedAt));
  print(`Talad is running (pid ${pid}, up ${upFor}), data in ${dataDir}`);
  const width = Math.max('postgres'.length, ...run.services.map((service) => service.name.length));
  const postgresUp = await answers(run.postgresPort);
  print(
    `  ${'postgres'.padEnd(width)}  127.0.0.1:${run.postgresPort}  ${postgresUp ? 'accepting connections' : 'not answering'}`,
  );
  let allReady = postgresUp;
  const checks = await Promise.all(
    run.services.map(async (service) => ({ service, health: await readiness(service.port) })),
  );
  for (const { service, health } of checks) {
    allReady &&= health === 'ready';
    print(`  ${service.name.padEnd(width)}  http://127.0.0.1:${service.port}  ${health}`);
  }
  return allReady ? 0 : 1;
}

async function readiness(port: number): Promise<string> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200 ? 'ready' : `not ready (${response.status})`;
  } catch {
    return (await isPortFree(port)) ? 'not running' : 'not answering';
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
