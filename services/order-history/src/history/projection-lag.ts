import type { Clock } from '@talad/core';
import type { Pool } from '@talad/pg';
import { Gauge, type Registry } from '@talad/service';
import { newestEventTime } from './history-store.ts';

export interface ProjectionLag {
  /** Told of each event applied: when it happened. */
  applied(occurredAt: Date): void;
}

/**
 * `order_history_lag_seconds`: now minus the time of the newest event applied to the read model. It
 * grows in a quiet shop too, so read it beside the consumer's backlog: a high lag with a backlog means
 * the model is behind. The newest time is read from the database once, then followed in memory.
 */
export function createProjectionLag(registry: Registry, pool: Pool, clock: Clock): ProjectionLag {
  let newest: number | undefined;
  let loaded = false;
  new Gauge({
    name: 'order_history_lag_seconds',
    help: 'Seconds between now and the newest event applied to the order-history read model.',
    registers: [registry],
    async collect() {
      if (!loaded) {
        const stored = await newestEventTime(pool).catch(() => null);
        if (stored) newest = Math.max(newest ?? 0, stored.getTime());
        loaded = true;
      }
      if (newest !== undefined) this.set(Math.max(0, (clock.now().getTime() - newest) / 1000));
    },
  });
  return {
    applied(occurredAt) {
      newest = Math.max(newest ?? 0, occurredAt.getTime());
    },
  };
}
