import { z } from 'zod';
import { runMessagingService } from '@talad/bootstrap';
import { buildInventoryApp } from './app.ts';

await runMessagingService({
  name: 'inventory',
  config: {
    /** Where the product snapshot that seeds the stock on the first start comes from. */
    CATALOG_URL: z.url(),
    /** Pause between sweeps for expired reservations; 0 turns this instance's sweeper off. */
    RESERVATION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
  },
  start: async ({ config, logger, pool, transport, verifier }) =>
    buildInventoryApp({
      pool,
      transport,
      verifier,
      catalogUrl: config.CATALOG_URL,
      sweepIntervalMs: config.RESERVATION_SWEEP_INTERVAL_MS,
      logger,
    }),
});
