import { z } from 'zod';
import { createTransport } from '@talad/messaging';
import { createPool } from '@talad/pg';
import { runService } from '@talad/service';
import { buildIdentityApp } from './app.ts';
import { identityConfig, settingsFrom } from './config.ts';
import { createPasswordHasher } from './passwords/index.ts';
import { prepareIdentity } from './prepare.ts';

await runService({
  name: 'identity',
  config: { ...identityConfig, BROKER_URL: z.string().min(1) },
  async start({ config, logger, onShutdown }) {
    const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: 'identity' });
    onShutdown(() => pool.end());
    const transport = await createTransport(config.BROKER_URL, { logger });
    onShutdown(() => transport.close());
    const hasher = createPasswordHasher();
    await prepareIdentity({ pool, hasher, logger, config });
    return buildIdentityApp({ pool, transport, hasher, logger, settings: settingsFrom(config) });
  },
});
