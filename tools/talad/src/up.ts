import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isatty } from 'node:tty';
import { describeExit } from './child-process.ts';
import type { UpOptions } from './cli.ts';
import {
  loadSecrets,
  postgresDirOf,
  prepareDataDir,
  projectRoot,
  readState,
  removePidFile,
  resetDataDir,
  runningTalad,
  writePidFile,
  writeState,
  type Secrets,
  type State,
} from './data-dir.ts';
import {
  initialiseCluster,
  isInitialised,
  startPostgres,
  stopLeftoverPostgres,
  type RunningPostgres,
} from './embedded-postgres.ts';
import {
  checkScale,
  checkTopology,
  extraInstanceCount,
  instanceIdOf,
  loadTopology,
  planServices,
  serviceEnvironment,
  type PlannedService,
} from './launch.ts';
import type { PlatformDatabase } from './topology.ts';
import { LogStream, PostgresLogFilter, type LogFormat } from './log-stream.ts';
import { Output } from './output.ts';
import { freePorts, isPortFree } from './ports.ts';
import { formatDuration, Progress } from './progress.ts';
import {
  asSuperuser,
  databaseUrl,
  lockDownDefaultDatabases,
  migrateAs,
  provisionDatabase,
  type Login,
} from './provision.ts';
import { runSeed } from './seed.ts';
import { buildStorefront, storefrontIsStale } from './storefront-build.ts';
import { messagingMigrationsDirectory } from '@talad/messaging';
import { ServiceStartError, Supervisor } from './supervisor.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Generous: the first start on a cold machine also compiles (type-strips) every module. */
const READY_TIMEOUT_MS = 60_000;
/** Longer than the chassis' default drain (SHUTDOWN_GRACE_SECONDS=10), so a graceful stop is never cut short. */
const STOP_GRACE_MS = 15_000;

/**
 * `talad up`: PostgreSQL, a database per service, migrations, seeds, then every service in order;
 * then stays in the foreground, supervising, until SIGINT/SIGTERM stops everything. Resolves to
 * the exit code.
 */
export async function up(options: UpOptions, env: Env): Promise<number> {
  const began = performance.now();
  const interactive = isatty(1);
  const color = wantsColor(env, interactive);
  // When whatever reads our output goes away (`npm start | head`), keep supervising rather than crash
  // with EPIPE; the output just has nowhere to go.
  process.stdout.on('error', () => undefined);
  const output = new Output(process.stdout, interactive);

  let plan: Plan;
  try {
    plan = await loadPlan(env, options);
  } catch (error) {
    new Progress(output, color).error((error as Error).message);
    return 1;
  }
  const other = runningTalad(options.dataDir);
  if (other !== undefined) {
    new Progress(output, color).error(
      `Talad is already running on ${options.dataDir} (pid ${other}). ` +
        'Stop it first (Ctrl-C in its terminal, or `npm run talad -- stop`), or use another --data-dir.',
    );
    return 1;
  }
  return new Run(options, env, plan, output, { color, format: logFormat(env, interactive) }).execute(began);
}

interface Plan {
  readonly services: PlannedService[];
  readonly postgresPort: number;
  readonly platformDatabases: readonly PlatformDatabase[];
  readonly entryPoint: PlannedService | undefined;
}

async function loadPlan(env: Env, options: UpOptions): Promise<Plan> {
  const topology = await loadTopology(env, env['INIT_CWD'] ?? process.cwd());
  const problems = checkTopology(topology);
  if (problems.length > 0) {
    throw new Error(`the topology is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
  const scaleProblems = checkScale(topology, options.scale);
  if (scaleProblems.length > 0) throw new Error(scaleProblems.join('\n'));
  // Extra instances of a scaled service take ports the kernel picks, never one the topology fixes.
  const fixedPorts = [topology.postgresPort, ...topology.services.map((service) => service.port)].map(
    (port) => port + options.portOffset,
  );
  if (options.port !== undefined) fixedPorts.push(options.port);
  const extraPorts = await freePorts(extraInstanceCount(options.scale), fixedPorts);
  const services = planServices(topology, projectRoot, options.port, options.portOffset, options.scale, extraPorts);
  return {
    services,
    postgresPort: topology.postgresPort + options.portOffset,
    platformDatabases: topology.platformDatabases,
    entryPoint: services.find((service) => service.spec.name === topology.entryPoint),
  };
}

/** One `talad up`, from the first step to "Stopped.". */
class Run {
  readonly #options: UpOptions;
  readonly #plan: Plan;
  readonly #output: Output;
  readonly #progress: Progress;
  readonly #log: LogStream;
  readonly #postgresLog: PostgresLogFilter;
  readonly #supervisor: Supervisor;
  /** Aborted by the first SIGINT/SIGTERM/SIGHUP. */
  readonly #stop = new AbortController();
  #postgres: RunningPostgres | undefined;
  #ownsDataDir = false;

  constructor(
    options: UpOptions,
    env: Env,
    plan: Plan,
    output: Output,
    look: { readonly color: boolean; readonly format: LogFormat },
  ) {
    this.#options = options;
    this.#plan = plan;
    this.#output = output;
    this.#progress = new Progress(output, look.color, () => this.#stop.signal.aborted);
    this.#log = new LogStream(output, {
      format: look.format,
      color: look.color,
      sources: ['talad', 'postgres', ...plan.services.map((service) => service.name)],
    });
    this.#postgresLog = new PostgresLogFilter(options.verbose);
    this.#supervisor = new Supervisor({
      cwd: projectRoot,
      log: this.#log,
      readyTimeoutMs: readyTimeout(env),
      stopGraceMs: STOP_GRACE_MS,
    });
  }

  async execute(began: number): Promise<number> {
    let forced = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (!this.#stop.signal.aborted) {
        this.#output.line('');
        this.#progress.info(`${signal}: stopping (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to force)`);
        this.#stop.abort(new Error(`stopped by ${signal}`));
      } else if (!forced) {
        forced = true;
        this.#progress.info('Forced stop.');
        this.#supervisor.killAll();
        process.exit(1); // onExit below still stops PostgreSQL
      }
    };
    // Should talad die anyway (a bug, a forced stop), its children must not outlive it.
    const onExit = (): void => {
      this.#supervisor.stopAllNow();
      this.#postgres?.stopNow();
    };
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (const signal of signals) process.on(signal, onSignal);
    process.on('exit', onExit);

    let code = 0;
    try {
      await this.#boot();
      this.#announce(began);
      await this.#superviseUntilStopped();
    } catch (error) {
      // Once a stop was asked for, whatever a boot step throws is a consequence of it, not news.
      if (!this.#stop.signal.aborted) {
        // A service's failure is already on its step line; what is left to show is its last words.
        if (error instanceof ServiceStartError) {
          if (error.lastLines) this.#progress.info(error.lastLines);
        } else this.#progress.error((error as Error).message);
        code = 1;
      }
    } finally {
      await this.#shutdown();
      for (const signal of signals) process.off(signal, onSignal);
      process.off('exit', onExit);
      this.#progress.info('Stopped.');
    }
    return code;
  }

  async #boot(): Promise<void> {
    const { dataDir } = this.#options;
    const { services, postgresPort } = this.#plan;
    await this.#prepareDataDir();
    await this.#checkPorts();
    await this.#buildStorefront();

    // Migrations and seeds run once per service, however many instances it runs.
    const withDatabase = services.filter((service) => service.migrations !== undefined && service.instance === 1);
    if (!existsSync(join(dataDir, 'secrets.json')) && isInitialised(postgresDirOf(dataDir))) {
      throw new Error(
        `${join(dataDir, 'secrets.json')} is missing, so the database passwords are lost; ` +
          'run with --reset to start from empty',
      );
    }
    const { platformDatabases } = this.#plan;
    const secrets = await loadSecrets(
      dataDir,
      [...withDatabase.map((service) => service.spec.name), ...platformDatabases.map((platform) => platform.name)],
      Object.fromEntries(services.map((service) => [service.spec.name, service.spec.secrets ?? []])),
    );

    this.#postgres = await this.#startPostgres(secrets);
    this.#checkStop();
    const superuser: Login = { host: '127.0.0.1', port: postgresPort, ...secrets.superuser };
    const platformUrls = await this.#provisionPlatform(superuser, secrets);
    const urls = await this.#provision(withDatabase, superuser, secrets);
    await this.#seed(withDatabase, urls);
    await this.#startServices(urls, platformUrls, secrets);

    const state = await readState(dataDir);
    await writeState(dataDir, {
      ...state,
      run: {
        pid: process.pid,
        startedAt: new Date().toISOString(),
        postgresPort,
        services: services
          .filter((service) => service.instance === 1)
          .map((service) => ({ name: service.spec.name, port: service.port })),
        instances: services.map((service) => ({
          name: service.name,
          service: service.spec.name,
          port: service.port,
          id: instanceIdOf(service),
        })),
      },
    });
  }

  async #prepareDataDir(): Promise<void> {
    const { dataDir, reset } = this.#options;
    if (reset) {
      await this.#progress.run(`deleting ${dataDir}`, `deleted ${dataDir}`, async () => {
        // A PostgreSQL an earlier talad left running would keep writing into the deleted folder.
        await stopLeftoverPostgres(postgresDirOf(dataDir));
        await resetDataDir(dataDir);
      });
    }
    await prepareDataDir(dataDir);
    await writePidFile(dataDir);
    this.#ownsDataDir = true;
  }

  /** The gateway serves the storefront's built files: build them when missing or out of date. */
  async #buildStorefront(): Promise<void> {
    if (!storefrontIsStale(projectRoot)) return;
    await this.#progress.run('building the storefront', 'storefront built', () =>
      buildStorefront(projectRoot, this.#stop.signal),
    );
  }

  /** A service that cannot bind its port only says so deep in its own log; say it up front instead. */
  async #checkPorts(): Promise<void> {
    const busy: PlannedService[] = [];
    for (const service of this.#plan.services) {
      if (!(await isPortFree(service.port))) busy.push(service);
    }
    if (busy.length === 0) return;
    const which = busy.map((service) => `${service.port} (${service.name})`).join(', ');
    const entryBusy = busy.some((service) => service === this.#plan.entryPoint);
    throw new Error(
      `port ${which} already in use by another program${entryBusy ? '; --port N moves the gateway' : ''}`,
    );
  }

  async #startPostgres(secrets: Secrets): Promise<RunningPostgres> {
    const dir = postgresDirOf(this.#options.dataDir);
    const port = this.#plan.postgresPort;
    const leftover = await stopLeftoverPostgres(dir);
    if (leftover !== undefined) {
      this.#log.event('warn', `stopped a PostgreSQL (pid ${leftover}) left running by an earlier talad`);
    }
    if (!isInitialised(dir)) {
      await this.#progress.run('creating the PostgreSQL cluster (first run)', 'PostgreSQL cluster created', () =>
        initialiseCluster({
          dir,
          port,
          superuser: secrets.superuser,
          // initdb is chatty; its output only matters when it fails, and then it is in the error.
          onLine: (line) => this.#options.verbose && this.#log.line('postgres', line),
        }),
      );
    }
    return this.#progress.run('starting postgres', `postgres ready on 127.0.0.1:${port}`, () =>
      startPostgres({
        dir,
        port,
        superuser: secrets.superuser,
        onLine: (line) => this.#postgresLog.accept(line) && this.#log.line('postgres', line),
      }),
    );
  }

  /** The platform's own databases (the message log); returns the URL of each by its variable name. */
  async #provisionPlatform(superuser: Login, secrets: Secrets): Promise<Record<string, string>> {
    const urls: Record<string, string> = {};
    const { platformDatabases } = this.#plan;
    if (platformDatabases.length === 0) return urls;
    const names = platformDatabases.map((platform) => platform.name).join(', ');
    await this.#progress.run(`creating ${names}`, `${names} ready`, () =>
      asSuperuser(superuser, async (admin) => {
        for (const platform of platformDatabases) {
          const password = secrets.roles[platform.name] ?? '';
          await provisionDatabase(admin, platform.name, password);
          urls[platform.env] = databaseUrl({ ...superuser, user: platform.name, password }, platform.name);
        }
      }),
    );
    return urls;
  }

  /** Roles, databases and migrations; returns each service's DATABASE_URL. */
  async #provision(
    withDatabase: readonly PlannedService[],
    superuser: Login,
    secrets: Secrets,
  ): Promise<Map<string, string>> {
    const urls = new Map<string, string>();
    await asSuperuser(superuser, async (admin) => {
      await lockDownDefaultDatabases(admin);
      for (const service of withDatabase) {
        this.#checkStop();
        const name = service.spec.name;
        const password = secrets.roles[name] ?? '';
        const url = databaseUrl({ ...superuser, user: name, password }, name);
        await this.#progress.run(
          `migrating ${name}`,
          ({ applied }) =>
            applied.length > 0 ? `${name} migrated: ${applied.length} applied` : `${name} database up to date`,
          async () => {
            await provisionDatabase(admin, name, password);
            const own = await migrateAs(url, service.migrations ?? '');
            if (!service.spec.messaging) return own;
            const messaging = await migrateAs(url, messagingMigrationsDirectory, 'messaging');
            return { ...own, applied: [...own.applied, ...messaging.applied] };
          },
        );
        urls.set(name, url);
      }
    });
    return urls;
  }

  /** Seeds run once per database: state.json remembers which did. */
  async #seed(withDatabase: readonly PlannedService[], urls: ReadonlyMap<string, string>): Promise<void> {
    let state: State = await readState(this.#options.dataDir);
    for (const service of withDatabase) {
      const name = service.spec.name;
      const script = service.seed;
      if (script === undefined || state.seeded.includes(name)) continue;
      this.#checkStop();
      await this.#progress.run(`seeding ${name}`, `${name} seeded`, () =>
        runSeed({
          service: name,
          script,
          databaseUrl: urls.get(name) ?? '',
          cwd: projectRoot,
          log: this.#log,
          signal: this.#stop.signal,
        }),
      );
      state = { ...state, seeded: [...state.seeded, name] };
      await writeState(this.#options.dataDir, state);
    }
  }

  /**
   * Each service starts as soon as what it depends on is ready (every instance of it); independent
   * ones, and the instances of a scaled one, start side by side.
   */
  async #startServices(
    urls: ReadonlyMap<string, string>,
    platformUrls: Record<string, string>,
    secrets: Secrets,
  ): Promise<void> {
    const { services } = this.#plan;
    const ready = new Map<string, Promise<void>[]>();
    for (const service of services) {
      const { name, spec } = service;
      const dependencies = (spec.dependsOn ?? []).flatMap((dependency) => ready.get(dependency) ?? []);
      const start = async (): Promise<void> => {
        await Promise.all(dependencies);
        this.#checkStop();
        const env = {
          ...serviceEnvironment(service, services, urls.get(spec.name), process.env, platformUrls),
          ...secrets.services[spec.name],
          // Secrets another service asks for, that this one must know too (a machine client's secret).
          ...Object.fromEntries(
            Object.entries(spec.sharedSecrets ?? {}).map(([variable, { service: owner, secret }]) => [
              variable,
              secrets.services[owner]?.[secret] ?? '',
            ]),
          ),
        };
        await this.#progress.run(
          `starting ${name}`,
          `${name} ready on http://127.0.0.1:${service.port}`,
          () => this.#supervisor.start({ name, script: service.entry, port: service.port, env }, this.#stop.signal),
          (error) => (error instanceof ServiceStartError ? error.problem : `${name}: start cancelled`),
        );
      };
      ready.set(spec.name, [...(ready.get(spec.name) ?? []), start()]);
    }
    await Promise.all([...ready.values()].flat());
    this.#checkStop();
  }

  #announce(began: number): void {
    const entry = this.#plan.entryPoint;
    this.#output.line('');
    this.#progress.info(this.#progress.bold(`Talad is up in ${formatDuration(performance.now() - began)}`));
    if (entry) {
      this.#progress.info(`  Storefront  http://localhost:${entry.port}/`);
      this.#progress.info(`  API         http://localhost:${entry.port}/api/`);
    }
    this.#progress.info('  Ctrl-C stops everything.');
    this.#output.line('');
  }

  /** Services are restarted by the supervisor; without its database, though, nothing can work. */
  async #superviseUntilStopped(): Promise<void> {
    const postgres = this.#postgres;
    if (!postgres) return;
    const stopped = new Promise<undefined>((resolve) => {
      this.#stop.signal.addEventListener('abort', () => resolve(undefined), { once: true });
    });
    const postgresExit = await Promise.race([postgres.exit, stopped]);
    if (postgresExit && !this.#stop.signal.aborted) {
      throw new Error(`PostgreSQL ${describeExit(postgresExit)} unexpectedly; stopping everything`);
    }
  }

  /**
   * The entry point first, so no new work comes in; then the start in reverse: each service once every
   * service that depends on it has stopped, independent ones side by side (each takes a moment to leave
   * the registry and finish its work in flight). PostgreSQL last.
   */
  async #shutdown(): Promise<void> {
    this.#supervisor.beginShutdown();
    const running = new Set(this.#supervisor.running());
    const services = this.#plan.services.filter((service) => running.has(service.name));
    const stopOne = async (name: string): Promise<void> => {
      const step = this.#progress.start(`stopping ${name}`, `${name} stopped`);
      const exit = await this.#supervisor.stop(name);
      if (exit?.signal === 'SIGKILL') step.fail(`${name} did not stop within ${formatDuration(STOP_GRACE_MS)}; killed`);
      else step.done();
    };
    const entry = this.#plan.entryPoint;
    if (entry && running.has(entry.name)) await stopOne(entry.name);
    const rest = services.filter((service) => service !== entry);
    const stopped = new Map<string, Promise<void>>();
    // Dependents come after what they depend on in the topology, so in reverse they are met first.
    for (const service of [...rest].reverse()) {
      const dependents = rest.filter((other) => other.spec.dependsOn?.includes(service.spec.name));
      const dependentsStopped = Promise.all(dependents.flatMap((dependent) => stopped.get(dependent.name) ?? []));
      stopped.set(
        service.name,
        dependentsStopped.then(() => stopOne(service.name)),
      );
    }
    await Promise.all(stopped.values());
    const postgres = this.#postgres;
    if (postgres) await this.#progress.run('stopping postgres', 'postgres stopped', () => postgres.stop());
    if (this.#ownsDataDir) {
      const { dataDir } = this.#options;
      const state = await readState(dataDir).catch(() => undefined);
      if (state?.run?.pid === process.pid) await writeState(dataDir, { ...state, run: undefined });
      await removePidFile(dataDir);
    }
  }

  #checkStop(): void {
    this.#stop.signal.throwIfAborted();
  }
}

function readyTimeout(env: Env): number {
  const seconds = Number(env['TALAD_READY_TIMEOUT']);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : READY_TIMEOUT_MS;
}

function wantsColor(env: Env, interactive: boolean): boolean {
  if (env['NO_COLOR']) return false;
  if (env['FORCE_COLOR'] !== undefined) return env['FORCE_COLOR'] !== '0';
  return interactive;
}

function logFormat(env: Env, interactive: boolean): LogFormat {
  const chosen = env['TALAD_LOG_FORMAT'];
  if (chosen === 'pretty' || chosen === 'json') return chosen;
  return interactive ? 'pretty' : 'json';
}
