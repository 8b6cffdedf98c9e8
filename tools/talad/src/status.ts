import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { isAlive, postgresDirOf, readPid, readState, runningTalad, type Secrets } from './data-dir.ts';
import { print } from './output.ts';
import { isPortFree } from './ports.ts';
import { formatDuration } from './progress.ts';

/**
 * `talad status`: whether a `talad up` runs on this data dir, and how each of its processes (each
 * instance of a scaled service) answers right now, and whether the service registry lists it.
 * Exit code 0: all ready; 1: running but something is not ready; 3: not running.
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
  // Written by talads from before scaling: one process per service, with the id they all had.
  const instances = run.instances ?? run.services.map((service) => ({ ...service, id: `${service.name}-1` }));
  const width = Math.max('postgres'.length, ...instances.map((instance) => instance.name.length));
  const postgresUp = await answers(run.postgresPort);
  print(
    `  ${'postgres'.padEnd(width)}  127.0.0.1:${run.postgresPort}  ${postgresUp ? 'accepting connections' : 'not answering'}`,
  );
  let allReady = postgresUp;
  const [checks, registered] = await Promise.all([
    Promise.all(instances.map(async (instance) => ({ instance, health: await readiness(instance.port) }))),
    postgresUp ? registeredIds(dataDir, run.postgresPort) : Promise.resolve(undefined),
  ]);
  const portWidth = Math.max(...instances.map((instance) => String(instance.port).length));
  for (const { instance, health } of checks) {
    allReady &&= health === 'ready';
    const url = `http://127.0.0.1:${String(instance.port).padEnd(portWidth)}`;
    const listing = registered === undefined ? '' : registered.has(instance.id) ? ', registered' : ', not registered';
    print(`  ${instance.name.padEnd(width)}  ${url}  ${health}${listing}`);
  }
  return allReady ? 0 : 1;
}

/**
 * The ids of the instances the embedded service registry lists as alive; undefined when it cannot
 * be read (a registry elsewhere, or none yet), so status then says nothing about registration.
 */
async function registeredIds(dataDir: string, postgresPort: number): Promise<Set<string> | undefined> {
  const secrets = JSON.parse(
    await readFile(join(dataDir, 'secrets.json'), 'utf8').catch(() => '{}'),
  ) as Partial<Secrets>;
  const password = secrets.roles?.['discovery'];
  if (password === undefined) return undefined;
  const client = new pg.Client({
    host: '127.0.0.1',
    port: postgresPort,
    database: 'discovery',
    user: 'discovery',
    password,
    application_name: 'talad-status',
    connectionTimeoutMillis: 2_000,
  });
  try {
    await client.connect();
    const { rows } = await client.query<{ id: string }>('SELECT id FROM discovery_instances WHERE expires_at > now()');
    return new Set(rows.map((row) => row.id));
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
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
