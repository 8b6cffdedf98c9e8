import { z } from 'zod';
import { runMessagingService } from '@talad/bootstrap';
import { buildBasketApp } from './app.ts';
import { createCatalogClient } from './catalog/index.ts';

await runMessagingService({
  name: 'basket',
  config: {
    CATALOG_URL: z.url(),
    /** How long putting a line waits for the catalog at most. */
    CATALOG_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2_000),
  },
  start: async ({ config, logger, pool, transport, verifier }) =>
    buildBasketApp({
      pool,
      transport,
      verifier,
      catalog: createCatalogClient({ baseUrl: config.CATALOG_URL, timeoutMs: config.CATALOG_TIMEOUT_MS }),
      logger,
    }),
});
