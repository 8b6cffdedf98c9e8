import { z } from 'zod';
import { createTokenVerifier } from '@talad/auth';
import { createTransport } from '@talad/messaging';
import { createPool } from '@talad/pg';
import { runService } from '@talad/service';
import { buildShippingApp } from './app.ts';

await runService({
  name: 'shipping',
  config: {
    DATABASE_URL: z.string().min(1),
    BROKER_URL: z.string().min(1),
    JWKS_URL: z.url(),
    ISSUER: z.string().min(1),
    AUDIENCE: z.string().min(1),
  },
  async start({ config, logger, onShutdown }) {
    const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: 'shipping' });
    onShutdown(() => pool.end());
    const transport = await createTransport(config.BROKER_URL, { logger });
    onShutdown(() => transport.close());
    const verifier = createTokenVerifier({
      jwksUrl: config.JWKS_URL,
      issuer: config.ISSUER,
      audience: config.AUDIENCE,
    });
    return buildShippingApp({ pool, transport, verifier, logger });
  },
});
