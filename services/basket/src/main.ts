import { z } from 'zod';
import { createTokenVerifier } from '@talad/auth';
import { createTransport } from '@talad/messaging';
import { createPool } from '@talad/pg';
import { runService } from '@talad/service';
import { buildBasketApp } from './app.ts';
import { createCatalogClient } from './catalog/index.ts';

await runService({
  name: 'basket',
  config: {
    DATABASE_URL: z.string().min(1),
    BROKER_URL: z.string().min(1),
    CATALOG_URL: z.url(),
    /** How long putting a line waits for the catalog at most. */
    CATALOG_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2_000),
    JWKS_URL: z.url(),
    ISSUER: z.string().min(1),
    AUDIENCE: z.string().min(1),
  },
  async start({ config, logger, onShutdown }) {
    const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: 'basket' });
    onShutdown(() => pool.end());
    const transport = await createTransport(config.BROKER_URL, { logger });
    onShutdown(() => transport.close());
    const verifier = createTokenVerifier({
      jwksUrl: config.JWKS_URL,
      issuer: config.ISSUER,
      audience: config.AUDIENCE,
    });
    const catalog = createCatalogClient({ baseUrl: config.CATALOG_URL, timeoutMs: config.CATALOG_TIMEOUT_MS });
    return buildBasketApp({ pool, transport, verifier, catalog, logger });
  },
});
