import { Counter, Gauge, Histogram, type Registry } from '@talad/service';

/** Every metric the gateway adds to the chassis's own, created once per app. */
export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/** `gateway_circuit_state` values; the order of the states a breaker goes through when an upstream fails. */
export const CIRCUIT_STATE_VALUE = { closed: 0, open: 1, 'half-open': 2 } as const;

export function createGatewayMetrics(registry: Registry) {
  const registers = [registry];
  return {
    requests: new Counter({
      name: 'gateway_requests_total',
      help: 'Requests answered by the gateway, by route, upstream and status (its own answers included: 401, 429, cache hits).',
      labelNames: ['route', 'upstream', 'status'],
      registers,
    }),
    upstreamRequests: new Counter({
      name: 'gateway_upstream_requests_total',
      help: 'Attempts sent upstream, by route, upstream and outcome (status code or failure kind).',
      labelNames: ['route', 'upstream', 'outcome'],
      registers,
    }),
    upstreamDuration: new Histogram({
      name: 'gateway_upstream_duration_seconds',
      help: 'Time until the upstream answered: its headers, or its whole body when small enough to be read at once.',
      labelNames: ['route', 'upstream'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    retries: new Counter({
      name: 'gateway_retries_total',
      help: 'Retries on another instance, by upstream and outcome (sent, or denied when the retry budget was spent).',
      labelNames: ['upstream', 'outcome'],
      registers,
    }),
    circuitState: new Gauge({
      name: 'gateway_circuit_state',
      help: 'Circuit breaker state per upstream: 0 closed, 1 open, 2 half-open.',
      labelNames: ['upstream'],
      registers,
    }),
    circuitTransitions: new Counter({
      name: 'gateway_circuit_transitions_total',
      help: 'Circuit breaker state changes per upstream.',
      labelNames: ['upstream', 'from', 'to'],
      registers,
    }),
    instances: new Gauge({
      name: 'gateway_upstream_instances',
      help: 'Instances known per upstream, by health (healthy, or ejected after failing).',
      labelNames: ['upstream', 'health'],
      registers,
    }),
    ejections: new Counter({
      name: 'gateway_instance_ejections_total',
      help: 'Instances taken out of rotation after a connection failure or timeout.',
      labelNames: ['upstream'],
      registers,
    }),
    cache: new Counter({
      name: 'gateway_cache_requests_total',
      help: 'Cacheable requests by route and result: hit, miss or revalidated.',
      labelNames: ['route', 'result'],
      registers,
    }),
    cacheInvalidations: new Counter({
      name: 'gateway_cache_invalidations_total',
      help: 'Upstream events that made cached answers stale, by upstream.',
      labelNames: ['upstream'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'gateway_rate_limited_total',
      help: 'Requests refused with 429, by route.',
      labelNames: ['route'],
      registers,
    }),
    redisErrors: new Counter({
      name: 'gateway_redis_errors_total',
      help: 'Redis calls that failed; rate limits then let the request through and the cache is skipped.',
      labelNames: ['component'],
      registers,
    }),
  };
}
