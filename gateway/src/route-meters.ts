import type { AttemptObserver } from './exchange.ts';
import type { GatewayMetrics } from './metrics.ts';
import type { GatewayRoute } from './route-table.ts';

interface Increment {
  inc(): void;
}

/** One route's metrics with their labels resolved once, so counting a request allocates nothing. */
export interface RouteMeters {
  answered(status: number): void;
  cache(result: 'hit' | 'miss' | 'revalidated'): void;
  rateLimited(): void;
  readonly attempts: AttemptObserver;
}

export function createRouteMeters(metrics: GatewayMetrics, route: GatewayRoute): RouteMeters {
  const { prefix, upstream } = route;
  const answers: Increment[] = [];
  const outcomes = new Map<string | number, Increment>();
  const duration = metrics.upstreamDuration.labels(prefix, upstream);
  const cacheResults = {
    hit: metrics.cache.labels(prefix, 'hit'),
    miss: metrics.cache.labels(prefix, 'miss'),
    revalidated: metrics.cache.labels(prefix, 'revalidated'),
  };
  const rateLimited = metrics.rateLimited.labels(prefix);
  const retries = {
    sent: metrics.retries.labels(upstream, 'sent'),
    denied: metrics.retries.labels(upstream, 'denied'),
  };
  const outcome = (value: string | number): Increment => {
    let counter = outcomes.get(value);
    if (!counter) {
      counter = metrics.upstreamRequests.labels(prefix, upstream, String(value));
      outcomes.set(value, counter);
    }
    return counter;
  };
  return {
    answered(status) {
      (answers[status] ??= metrics.requests.labels(prefix, upstream, String(status))).inc();
    },
    cache: (result) => cacheResults[result].inc(),
    rateLimited: () => rateLimited.inc(),
    attempts: {
      answered(status, seconds) {
        duration.observe(seconds);
        outcome(status).inc();
      },
      failed: (failure) => outcome(failure).inc(),
      retried: (sent) => (sent ? retries.sent : retries.denied).inc(),
    },
  };
}
