import type { TokenVerifier } from '@talad/auth';
import { createMessagingApp } from '@talad/bootstrap';
import { systemClock, type Clock } from '@talad/core';
import type { Transport } from '@talad/messaging';
import type { Pool } from '@talad/pg';
import type { Logger, ServiceApp } from '@talad/service';
import { registerBasketRoutes, subscribeBasketEvents } from './basket/index.ts';
import type { CatalogClient } from './catalog/index.ts';

export interface BasketAppOptions {
  pool: Pool;
  transport: Transport;
  verifier: TokenVerifier;
  /** Where product details come from when a line is put (`createCatalogClient`). */
  catalog: CatalogClient;
  clock?: Clock;
  logger?: Logger;
}

/**
 * The basket service: each customer's own basket, priced from the catalog when a line is put and kept
 * fresh by catalog's product events; emptied when the customer's order is placed. Builds without
 * listening; its consumers start when the app is ready and stop when it closes.
 */
export async function buildBasketApp(options: BasketAppOptions): Promise<ServiceApp> {
  const clock = options.clock ?? systemClock;
  // The catalog is not a readiness dependency: without it the basket still shows and empties.
  const { app, messaging } = await createMessagingApp({
    name: 'basket',
    description: "Each customer's basket: lines, quantities, sizes, totals.",
    ...options,
    clock,
  });
  registerBasketRoutes(app, { pool: options.pool, catalog: options.catalog, clock });
  subscribeBasketEvents(messaging, clock);
  return app;
}
