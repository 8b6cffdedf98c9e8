import { z } from 'zod';
import { createTokenVerifier } from '@talad/auth';
import { createTransport } from '@talad/messaging';
import { createPool } from '@talad/pg';
import { runService } from '@talad/service';
import { buildPaymentApp } from './app.ts';
import { createProviderClient } from './provider/index.ts';

await runService({
  name: 'payment',
  config: {
    DATABASE_URL: z.string().min(1),
    BROKER_URL: z.string().min(1),
    /** The card processor's origin (the simulator in the embedded topology). */
    PROVIDER_URL: z.url(),
    /** Deadline of one call to the provider; a call without an answer by then is retried with the same key. */
    PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
    JWKS_URL: z.url(),
    ISSUER: z.string().min(1),
    AUDIENCE: z.string().min(1),
  },
  async start({ config, logger, onShutdown }) {
    const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: 'payment' });
    onShutdown(() => pool.end());
    const transport = await createTransport(config.BROKER_URL, { logger });
    onShutdown(() => transport.close());
    const verifier = createTokenVerifier({
      jwksUrl: config.JWKS_URL,
      issuer: config.ISSUER,
      audience: config.AUDIENCE,
    });
    const provider = createProviderClient({
      baseUrl: config.PROVIDER_URL,
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
      logger,
    });
    return buildPaymentApp({ pool, transport, verifier, provider, logger });
  },
});
