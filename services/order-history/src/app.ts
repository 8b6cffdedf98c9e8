import type { TokenVerifier } from '@talad/auth';
import { createMessagingApp } from '@talad/bootstrap';
import { systemClock, type Clock } from '@talad/core';
import type { Transport } from '@talad/messaging';
import type { Pool } from '@talad/pg';
import type { Logger, ServiceApp } from '@talad/service';
import { createProjectionLag, registerOrderHistoryRoutes, subscribeOrderHistory } from './history/index.ts';

export interface OrderHistoryAppOptions {
  pool: Pool;
  transport: Transport;
  verifier: TokenVerifier;
  clock?: Clock;
  logger?: Logger;
}

/**
 * The order-history service, the query side of orders: a read model built only from ordering's,
 * payment's and shipping's events, answering "my orders" and each order's summary. Builds without
 * listening; its consumer starts when the app is ready and stops when it closes.
 */
export async function buildOrderHistoryApp(options: OrderHistoryAppOptions): Promise<ServiceApp> {
  const clock = options.clock ?? systemClock;
  const { app, messaging } = await createMessagingApp({
    name: 'order-history',
    description: "My orders and each order's summary and timeline, built from events (CQRS query side).",
    ...options,
    clock,
  });
  registerOrderHistoryRoutes(app, { pool: options.pool });
  subscribeOrderHistory(messaging, { clock, lag: createProjectionLag(app.metricsRegistry, options.pool, clock) });
  return app;
}
