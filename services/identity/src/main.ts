import { createPool } from '@talad/pg';
import { runService } from '@talad/service';
import { buildIdentityApp } from './app.ts';
import { identityConfig, settingsFrom } from './config.ts';
import { createPasswordHasher } from './passwords/index.ts';
import { prepareIdentity } from './prepare.ts';

await runService({
  name: 'identity',
  config: identityConfig,
  async start({ config, logger, onShutdown }) {
    const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: 'identity' });
    onShutdown(() => pool.end());
    const hasher = createPasswordHasher();
    await prepareIdentity({ pool, hasher, logger, config });
    return buildIdentityApp({ pool, hasher, logger, settings: settingsFrom(config) });
  },
});
