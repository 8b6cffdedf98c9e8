import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { nextAttempt, restartDelay, restartPolicy, type BackoffPolicy } from './backoff.ts';
import { describeExit, exited, signalGroup, spawnNode, stopChild, type Exit } from './child-process.ts';
import type { LogStream } from './log-stream.ts';
import { formatDuration } from './progress.ts';

/** What it takes to run one service: its script and its complete environment. */
export interface ServiceLaunch {
  readonly name: string;
  readonly script: string;
  readonly port: number;
  readonly env: NodeJS.ProcessEnv;
}

export interface SupervisorOptions {
  readonly cwd: string;
  readonly log: LogStream;
  /** How long a service may take from spawn to answering 200 on /health/ready. */
  readonly readyTimeoutMs: number;
  /** How long a service may take to stop after SIGTERM before it is killed. */
  readonly stopGraceMs: number;
  readonly policy?: BackoffPolicy;
}

/** A service that did not come up; the message names it and quotes its last lines. */
export class ServiceStartError extends Error {
  readonly service: string;
  /** What went wrong, in one line. */
  readonly problem: string;
  /** The service's last lines, formatted for quoting. */
  readonly lastLines: string;
  constructor(service: string, problem: string, lastLines: readonly string[]) {
    const quoted =
      lastLines.length > 0 ? `Last lines from ${service}:\n${lastLines.map((line) => `  ${line}`).join('\n')}` : '';
    super(quoted ? `${problem}\n${quoted}` : problem);
    this.name = 'ServiceStartError';
    this.service = service;
    this.problem = problem;
    this.lastLines = quoted;
  }
}

interface Supervised {
  readonly launch: ServiceLaunch;
  child: ChildProcess | undefined;
  startedAt: number;
  /** Restarts since it last ran long enough to count as healthy. */
  attempt: number;
  restartTimer: NodeJS.Timeout | undefined;
  /** Set once it has been ready: from then on an exit means "restart", before it means "boot failed". */
  wasReady: boolean;
}

/**
 * Runs services as child processes: starts one and waits until it is ready, restarts one that
 * exits unexpectedly (with growing delays, see backoff.ts), and stops them in reverse start order.
 */
export class Supervisor {
  readonly #options: SupervisorOptions;
  readonly #services: Supervised[] = [];
  /** Aborted on shutdown: cancels readiness polls and pending restarts. */
  readonly #shutdown = new AbortController();

  constructor(options: SupervisorOptions) {
    this.#options = options;
  }

  /** Starts a service and resolves once it is ready; throws ServiceStartError if it exits or times out. */
  async start(launch: ServiceLaunch, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    this.#shutdown.signal.throwIfAborted();
    const service: Supervised = {
      launch,
      child: undefined,
      startedAt: 0,
      attempt: 0,
      restartTimer: undefined,
      wasReady: false,
    };
    this.#services.push(service);
    const child = this.#spawn(service);
    await this.#waitReady(service, child, AbortSignal.any([signal, this.#shutdown.signal]));
    service.wasReady = true;
  }

  /** Names of the services that have a process right now, in start order. */
  running(): string[] {
    return this.#services.filter((service) => service.child !== undefined).map((service) => service.launch.name);
  }

  /** No more restarts from now on; call before stopping services one by one. */
  beginShutdown(): void {
    this.#shutdown.abort(new Error('shutting down'));
    for (const service of this.#services) {
      clearTimeout(service.restartTimer);
      service.restartTimer = undefined;
    }
  }

  /** Stops one service (SIGTERM, then SIGKILL after the grace period). Undefined if it was not running. */
  async stop(name: string): Promise<Exit | undefined> {
    const service = this.#services.find((candidate) => candidate.launch.name === name);
    const child = service?.child;
    if (!service || !child) return undefined;
    return stopChild(child, this.#options.stopGraceMs);
  }

  /** For talad's own last moments (a crash): ask every service to stop, without waiting. */
  stopAllNow(): void {
    this.beginShutdown();
    for (const service of this.#services) {
      if (service.child?.pid !== undefined) signalGroup(service.child.pid, 'SIGTERM');
    }
  }

  /** For a forced stop (a second Ctrl-C): no more waiting for anyone. */
  killAll(): void {
    this.beginShutdown();
    for (const service of this.#services) {
      if (service.child?.pid !== undefined) signalGroup(service.child.pid, 'SIGKILL');
    }
  }

  #spawn(service: Supervised): ChildProcess {
    const { name, script, env } = service.launch;
    const child = spawnNode({
      script,
      cwd: this.#options.cwd,
      env,
      onLine: (line) => this.#options.log.line(name, line),
    });
    service.child = child;
    service.startedAt = performance.now();
    void exited(child).then((exit) => this.#onExit(service, child, exit));
    return child;
  }

  #onExit(service: Supervised, child: ChildProcess, exit: Exit): void {
    if (service.child !== child) return;
    service.child = undefined;
    // Before the first ready, the start() caller reports the failure; during shutdown, exits are expected.
    if (!service.wasReady || this.#shutdown.signal.aborted) return;

    const policy = this.#options.policy ?? restartPolicy;
    service.attempt = nextAttempt(service.attempt, performance.now() - service.startedAt, policy);
    const delay = restartDelay(service.attempt, policy);
    const name = service.launch.name;
    this.#options.log.event(
      'warn',
      `${name} ${describeExit(exit)}; restarting in ${formatDuration(delay)} (attempt ${service.attempt})`,
    );
    service.restartTimer = setTimeout(() => {
      service.restartTimer = undefined;
      if (this.#shutdown.signal.aborted) return;
      const restarted = this.#spawn(service);
      this.#waitReady(service, restarted, this.#shutdown.signal).then(
        () => this.#options.log.event('info', `${name} is ready again`),
        (error: unknown) => {
          // An exit is reported (and handled) by #onExit; only a hang needs saying here.
          if (this.#shutdown.signal.aborted || service.child !== restarted) return;
          this.#options.log.event(
            'warn',
            `${name} is running but not ready: ${(error as Error).message.split('\n')[0]}`,
          );
        },
      );
    }, delay);
  }

  /** Polls GET /health/ready until it answers 200, the process exits, the time is up, or `signal` aborts. */
  async #waitReady(service: Supervised, child: ChildProcess, signal: AbortSignal): Promise<void> {
    const { name, port } = service.launch;
    const url = `http://127.0.0.1:${port}/health/ready`;
    const timeoutMs = this.#options.readyTimeoutMs;
    const deadline = performance.now() + timeoutMs;
    let exit: Exit | undefined;
    void exited(child).then((result) => (exit = result));
    // Read through a function: the exit arrives in a callback, which flow analysis cannot see.
    const exitedYet = (): Exit | undefined => exit;
    let last: string;
    let pause = 50;
    for (;;) {
      signal.throwIfAborted();
      const gone = exitedYet();
      if (gone) {
        throw new ServiceStartError(
          name,
          `${name} ${describeExit(gone)} before it was ready`,
          this.#options.log.tail(name),
        );
      }
      try {
        const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(2_000)]) });
        const body = await response.text();
        if (response.status === 200) return;
        last = `GET ${url} answered ${response.status}${body ? `: ${body.slice(0, 300)}` : ''}`;
      } catch (error) {
        signal.throwIfAborted();
        last = `GET ${url} failed: ${describeFetchError(error)}`;
      }
      if (performance.now() > deadline) {
        // An exit in the meantime is the better explanation; the top of the loop reports it.
        if (exitedYet()) continue;
        throw new ServiceStartError(
          name,
          `${name} did not become ready within ${formatDuration(timeoutMs)} (${last})`,
          this.#options.log.tail(name),
        );
      }
      await sleep(pause, undefined, { signal }).catch(() => undefined);
      pause = Math.min(pause * 1.5, 250);
    }
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
