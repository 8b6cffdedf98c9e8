import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/**
 * Everything `talad up` keeps between runs lives in one folder (default `.talad/`):
 *
 *   postgres/      the PostgreSQL cluster (owned by the `postgres` user when run as root)
 *   secrets.json   superuser and per-service role passwords, generated once (mode 0600)
 *   state.json     what has been done once (seeds) and what the running system looks like (for `status`)
 *   talad.pid      the pid of the running `talad up`, so a second one refuses to start
 */
export const projectRoot = resolve(import.meta.dirname, '../../..');

export const postgresDirOf = (dataDir: string): string => join(dataDir, 'postgres');

export interface Secrets {
  readonly superuser: { readonly user: string; readonly password: string };
  /** Password of each service's login role, by service name. */
  readonly roles: Readonly<Record<string, string>>;
  /** Secrets a service asks for (signing-key seals, client secrets), by service, then variable name. */
  readonly services: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface RunInfo {
  readonly pid: number;
  readonly startedAt: string;
  readonly postgresPort: number;
  /** One per service: its first instance, the one on the topology's port. */
  readonly services: readonly { readonly name: string; readonly port: number }[];
  /** Every process, a scaled service's instances each on its own (`catalog#2`); absent before scaling existed. */
  readonly instances?: readonly {
    readonly name: string;
    readonly service: string;
    readonly port: number;
    /** Its id in logs and in the service registry. */
    readonly id: string;
  }[];
}

export interface State {
  /** Services whose seed ran to completion; a seed runs only on a database it has not run on yet. */
  readonly seeded: readonly string[];
  /** The system as last started; present while it runs. */
  readonly run?: RunInfo;
}

/**
 * Creates the data dir. Folders created here get 0755 whatever the umask: PostgreSQL runs as another
 * user and must be able to pass through them to reach its own folder.
 */
export async function prepareDataDir(dataDir: string): Promise<void> {
  const missing: string[] = [];
  for (let dir = dataDir; !existsSync(dir); dir = dirname(dir)) missing.unshift(dir);
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  for (const dir of missing) await chmod(dir, 0o755);
}

/**
 * Deletes the data dir, but only a folder holding nothing but what talad puts there:
 * `--reset --data-dir ~` must not wipe a home folder.
 */
export async function resetDataDir(dataDir: string): Promise<void> {
  if (!existsSync(dataDir)) return;
  const known = new Set(['postgres', 'secrets.json', 'state.json', 'talad.pid']);
  const foreign = (await readdir(dataDir)).filter((entry) => !known.has(entry) && !entry.endsWith('.tmp'));
  if (foreign.length > 0) {
    throw new Error(
      `${dataDir} does not look like a talad data dir (it holds ${foreign.slice(0, 3).join(', ')}); not deleting it`,
    );
  }
  await rm(dataDir, { recursive: true, force: true });
}

/** Writes through a temporary file, so a crash mid-write never leaves a half-written file behind. */
async function writeJson(path: string, value: unknown, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode });
  await chmod(temporary, mode);
  await rename(temporary, path);
}

const newPassword = (): string => randomBytes(24).toString('base64url');

/**
 * Reads the passwords, generating any that are missing (all of them on the first run, one for a
 * service added to the topology since).
 */
export async function loadSecrets(
  dataDir: string,
  roles: readonly string[],
  serviceSecrets: Readonly<Record<string, readonly string[]>> = {},
): Promise<Secrets> {
  const path = join(dataDir, 'secrets.json');
  const existed = existsSync(path);
  const stored = existed ? (JSON.parse(await readFile(path, 'utf8')) as Partial<Secrets>) : {};
  const superuser = stored.superuser ?? { user: 'postgres', password: newPassword() };
  const storedRoles = stored.roles ?? {};
  const missing = roles.filter((role) => storedRoles[role] === undefined);
  const storedServices = stored.services ?? {};
  const servicesChanged = Object.entries(serviceSecrets).some(([service, names]) =>
    names.some((name) => storedServices[service]?.[name] === undefined),
  );
  const services = Object.fromEntries(
    Object.entries(serviceSecrets).map(([service, names]) => {
      const kept = storedServices[service] ?? {};
      const made = names.filter((name) => kept[name] === undefined);
      return [service, { ...kept, ...Object.fromEntries(made.map((name) => [name, newPassword()])) }];
    }),
  );
  const secrets: Secrets = {
    superuser,
    roles: { ...storedRoles, ...Object.fromEntries(missing.map((role) => [role, newPassword()])) },
    services: { ...storedServices, ...services },
  };
  if (!existed || missing.length > 0 || servicesChanged) await writeJson(path, secrets, 0o600);
  return secrets;
}

export async function readState(dataDir: string): Promise<State> {
  const path = join(dataDir, 'state.json');
  if (!existsSync(path)) return { seeded: [] };
  const state = JSON.parse(await readFile(path, 'utf8')) as Partial<State>;
  return { ...state, seeded: state.seeded ?? [] };
}

export async function writeState(dataDir: string, state: State): Promise<void> {
  await writeJson(join(dataDir, 'state.json'), state, 0o644);
}

const pidFileOf = (dataDir: string): string => join(dataDir, 'talad.pid');

/**
 * Claims the data dir for this process. Created exclusively, so of two talads started at the same
 * moment only one gets it; a pid file left by a talad that is gone is taken over.
 */
export async function writePidFile(dataDir: string): Promise<void> {
  try {
    await writeFile(pidFileOf(dataDir), `${process.pid}\n`, { mode: 0o644, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const other = runningTalad(dataDir);
    if (other !== undefined) {
      throw new Error(`another talad (pid ${other}) is starting on ${dataDir}`, { cause: error });
    }
    await writeFile(pidFileOf(dataDir), `${process.pid}\n`, { mode: 0o644 });
  }
}

export async function removePidFile(dataDir: string): Promise<void> {
  // Only our own: another talad may have taken over after a forced stop.
  if (readPid(pidFileOf(dataDir)) === process.pid) await rm(pidFileOf(dataDir), { force: true });
}

/** Pid of a `talad up` that is still running on this data dir, if any. */
export function runningTalad(dataDir: string): number | undefined {
  const pid = readPid(pidFileOf(dataDir));
  if (pid === undefined || pid === process.pid || !isAlive(pid)) return undefined;
  // A recycled pid belongs to some other program: on Linux, look at what it runs.
  const commandLine = commandLineOf(pid);
  return commandLine === undefined || commandLine.includes('talad') ? pid : undefined;
}

export function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * An exited process whose parent has not collected it yet still answers signal 0. That happens to
 * an orphan in a container whose PID 1 does not reap children; it is gone all the same.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** The process's command line (from /proc on Linux, `ps` elsewhere), or undefined when it cannot be read. */
export function commandLineOf(pid: number): string | undefined {
  if (existsSync('/proc/self/cmdline')) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      return undefined;
    }
  }
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
