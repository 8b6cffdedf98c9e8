import type { TokenVerifier } from '@talad/auth';
import { createMessagingApp } from '@talad/bootstrap';
import { systemClock, type Clock } from '@talad/core';
import type { Transport } from '@talad/messaging';
import type { Pool } from '@talad/pg';
import type { Logger, ServiceApp } from '@talad/service';
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
  const { app, messaging } = await createMessagingApp({
    name: 'catalog',
    description: 'Products, product search and product administration.',
    ...options,
  });
  registerProductRoutes(app, createProductRepository(options.pool));
  registerProductAdminRoutes(app, messaging, options.clock ?? systemClock);
  return app;
}
