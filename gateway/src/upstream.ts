import type { Discovery, ServiceInstance } from '@talad/discovery';
import type { FastifyBaseLogger } from 'fastify';
import {
  createCircuitBreaker,
  defaultBreakerSettings,
  type BreakerSettings,
  type CircuitBreaker,
} from './circuit-breaker.ts';
import {
  createInstanceHealth,
  defaultEjectionSettings,
  type EjectionSettings,
  type InstanceHealth,
} from './instance-health.ts';
import { createLoadBalancer, type Balancing, type LoadBalancer } from './load-balancer.ts';
import { CIRCUIT_STATE_VALUE, type GatewayMetrics } from './metrics.ts';
import {
  createRetryBudget,
  defaultRetryBudgetSettings,
  type RetryBudget,
  type RetryBudgetSettings,
} from './retry-budget.ts';
import { createUpstreamInstance, type UpstreamInstance } from './upstream-instance.ts';

/** How the gateway treats one upstream service. */
export interface UpstreamSettings {
  balancing: Balancing;
  breaker: BreakerSettings;
  retryBudget: RetryBudgetSettings;
  ejection: EjectionSettings;
  /** Attempts per request at most, the first included; retries always go to another instance. */
  maxAttempts: number;
}

export const defaultUpstreamSettings: UpstreamSettings = {
  balancing: 'least-outstanding',
  breaker: defaultBreakerSettings,
  retryBudget: defaultRetryBudgetSettings,
  ejection: defaultEjectionSettings,
  maxAttempts: 3,
};

/** An upstream service: its instances as discovery reports them, and the resilience state they share. */
export interface Upstream {
  readonly name: string;
  readonly instances: readonly UpstreamInstance[];
  readonly balancer: LoadBalancer;
  readonly breaker: CircuitBreaker;
  readonly budget: RetryBudget;
  readonly health: InstanceHealth;
  readonly maxAttempts: number;
  /** Settles once discovery has answered for the first time. */
  readonly ready: Promise<unknown>;
  close(): Promise<void>;
}

export function createUpstream(
  name: string,
  discovery: Discovery,
  settings: UpstreamSettings,
  context: { metrics: GatewayMetrics; logger: FastifyBaseLogger; now: () => number },
): Upstream {
  const { metrics, logger } = context;
  let instances: readonly UpstreamInstance[] = [];
  const countHealth = (): void => {
    const ejected = instances.filter((instance) => instance.ejected).length;
    metrics.instances.set({ upstream: name, health: 'healthy' }, instances.length - ejected);
    metrics.instances.set({ upstream: name, health: 'ejected' }, ejected);
  };

  const breaker = createCircuitBreaker(settings.breaker, {
    now: context.now,
    onTransition(from, to) {
      metrics.circuitState.set({ upstream: name }, CIRCUIT_STATE_VALUE[to]);
      metrics.circuitTransitions.inc({ upstream: name, from, to });
      logger.warn({ upstream: name, from, to }, `circuit ${to}`);
    },
  });
  metrics.circuitState.set({ upstream: name }, CIRCUIT_STATE_VALUE.closed);

  const health = createInstanceHealth(settings.ejection, {
    onEject(instance) {
      metrics.ejections.inc({ upstream: name });
      logger.warn({ upstream: name, instance: instance.url }, 'instance ejected');
      countHealth();
    },
    onRecover(instance) {
      logger.info({ upstream: name, instance: instance.url }, 'instance back in rotation');
      countHealth();
    },
  });

  // Instances that stay keep their pool and health; only joiners get new pools, leavers drain theirs.
  const update = (found: readonly ServiceInstance[]): void => {
    const current = new Map(instances.map((instance) => [instance.url, instance]));
    const next = found.map(
      (instance) => current.get(instance.url) ?? createUpstreamInstance(instance.id, instance.url),
    );
    const kept = new Set(next);
    for (const instance of instances) {
      if (kept.has(instance)) continue;
      instance.retired = true;
      clearTimeout(instance.probe);
      instance.pool.close().catch(() => undefined);
    }
    instances = next;
    countHealth();
    logger.info({ upstream: name, instances: next.map((instance) => instance.url) }, 'upstream instances');
  };
  const watch = discovery.watch(name, update);

  return {
    name,
    get instances() {
      return instances;
    },
    balancer: createLoadBalancer(settings.balancing),
    breaker,
    budget: createRetryBudget(settings.retryBudget, context.now),
    health,
    maxAttempts: settings.maxAttempts,
    ready: watch.ready,
    async close() {
      watch.close();
      const closing = instances;
      instances = [];
      await Promise.all(
        closing.map(async (instance) => {
          instance.retired = true;
          clearTimeout(instance.probe);
          await instance.pool.close();
        }),
      );
    },
  };
}
