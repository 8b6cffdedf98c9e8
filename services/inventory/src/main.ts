import { z } from 'zod';
import { createTokenVerifier } from '@talad/auth';
import { createTransport } from '@talad/messaging';
import { createPool } from '@talad/pg';
import { runService } from '@talad/service';
import { buildInventoryApp } from './app.ts';

await runService({
  name: 'inventory',
  config: {
    DATABASE_URL: z.string().min(1),
    BROKER_URL: z.string().min(1),
    /** Where the product snapshot that seeds the stock on the first start comes from. */
    CATALOG_URL: z.url(),
    /** Pause between sweeps for expired reservations; 0 turns this instance's sweeper off. */
    RESERVATION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
    JWKS_URL: z.url(),
    ISSUER: z.string().min(1),
    AUDIENCE: z.string().min(1),
  },
  async start({ config, logger, onShutdown }) {
    const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: 'inventory' });
    onShutdown(() => pool.end());
    const transport = await createTransport(config.BROKER_URL, { logger });
    onShutdown(() => transport.close());
    const verifier = createTokenVerifier({
      jwksUrl: config.JWKS_URL,
      issuer: config.ISSUER,
      audience: config.AUDIENCE,
    });
    return buildInventoryApp({
      pool,
      transport,
      verifier,
      catalogUrl: config.CATALOG_URL,
      sweepIntervalMs: config.RESERVATION_SWEEP_INTERVAL_MS,
      logger,
    });
  },
});
