import type { ServiceApp } from './app.ts';

/** A dependency check for readiness: resolves when the dependency is usable, throws when not. */
export type ReadinessCheck = () => Promise<void>;

export interface HealthState {
  /** Set on shutdown, so load balancers stop sending work before the listener closes. */
  draining: boolean;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * `/health/live`: the process runs and serves HTTP (restart it if not).
 * `/health/ready`: every dependency answers and the service is not draining (send it traffic if so).
 */
export function registerHealth(app: ServiceApp, checks: Record<string, ReadinessCheck>, state: HealthState): void {
  app.get('/health/live', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'live' }));
  app.get('/health/ready', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) => {
    if (state.draining) return reply.code(503).send({ status: 'draining', checks: {} });
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check)] as const),
    );
    const ready = results.every(([, result]) => result.status === 'up');
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not-ready', checks: Object.fromEntries(results) });
  });
}

async function runCheck(check: ReadinessCheck): Promise<{ status: 'up' | 'down'; latencyMs: number; error?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
