import { pingDatabase, type Pool } from '@talad/pg';
import { createServiceApp, type Logger, type ServiceApp } from '@talad/service';
import { createProductRepository } from './products/index.ts';
import { registerProductRoutes } from './products/routes.ts';

export interface CatalogAppOptions {
  pool: Pool;
  logger?: Logger;
}

/** The catalog service: product search and detail. Builds without listening. */
export async function buildCatalogApp(options: CatalogAppOptions): Promise<ServiceApp> {
  const app = await createServiceApp({
    name: 'catalog',
    description: 'Products and product search.',
    readiness: { database: () => pingDatabase(options.pool) },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  registerProductRoutes(app, createProductRepository(options.pool));
  return app;
}
