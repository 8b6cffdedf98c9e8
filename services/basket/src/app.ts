import { registerAuthentication, type TokenVerifier } from '@talad/auth';
import { systemClock, type Clock } from '@talad/core';
import { createMessaging, registerMessagingAdmin, type Transport } from '@talad/messaging';
import { pingDatabase, type Pool } from '@talad/pg';
import { createServiceApp, type Logger, type ServiceApp } from '@talad/service';
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
  const { pool, transport } = options;
  const clock = options.clock ?? systemClock;
  const app = await createServiceApp({
    name: 'basket',
    description: "Each customer's basket: lines, quantities, sizes, totals.",
    // The catalog is not a readiness dependency: without it the basket still shows and empties.
    readiness: { database: () => pingDatabase(pool), broker: () => transport.ping() },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const messaging = createMessaging({
    service: 'basket',
    pool,
    transport,
    registry: app.metricsRegistry,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  registerAuthentication(app, { verifier: options.verifier, realm: 'talad' });
  registerBasketRoutes(app, { pool, catalog: options.catalog, clock });
  subscribeBasketEvents(messaging, clock);
  registerMessagingAdmin(app, {
    deadLetters: messaging.deadLetters,
    routeConfig: { access: ['admin', { scope: 'messaging:admin' }] },
  });
  app.addHook('onReady', () => messaging.start());
  app.addHook('onClose', () => messaging.stop());
  return app;
}
