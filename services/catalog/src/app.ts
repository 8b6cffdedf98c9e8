import { registerAuthentication, type TokenVerifier } from '@talad/auth';
import { systemClock, type Clock } from '@talad/core';
import { createMessaging, registerMessagingAdmin, type Transport } from '@talad/messaging';
import { pingDatabase, type Pool } from '@talad/pg';
import { createServiceApp, type Logger, type ServiceApp } from '@talad/service';
import { createProductRepository } from './products/index.ts';
import { registerProductAdminRoutes } from './products/admin-routes.ts';
import { registerProductRoutes } from './products/routes.ts';

export interface CatalogAppOptions {
  pool: Pool;
  transport: Transport;
  verifier: TokenVerifier;
  clock?: Clock;
  logger?: Logger;
}

/**
 * The catalog service: product search and detail for everyone, administration for admins, product
 * events through the outbox. Builds without listening; the relay starts when the app is ready and
 * stops when it closes.
 */
export async function buildCatalogApp(options: CatalogAppOptions): Promise<ServiceApp> {
  const { pool, transport } = options;
  const app = await createServiceApp({
    name: 'catalog',
    description: 'Products, product search and product administration.',
    readiness: { database: () => pingDatabase(pool), broker: () => transport.ping() },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const messaging = createMessaging({
    service: 'catalog',
    pool,
    transport,
    registry: app.metricsRegistry,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  registerAuthentication(app, { verifier: options.verifier, realm: 'talad' });
  registerProductRoutes(app, createProductRepository(pool));
  registerProductAdminRoutes(app, messaging, options.clock ?? systemClock);
  registerMessagingAdmin(app, {
    deadLetters: messaging.deadLetters,
    routeConfig: { access: ['admin', { scope: 'messaging:admin' }] },
  });
  app.addHook('onReady', () => messaging.start());
  app.addHook('onClose', () => messaging.stop());
  return app;
}
