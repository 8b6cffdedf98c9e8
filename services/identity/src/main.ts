import { runTokenIssuingService } from '@talad/bootstrap';
import { buildIdentityApp } from './app.ts';
import { identityConfig, settingsFrom } from './config.ts';
import { createPasswordHasher } from './passwords/index.ts';
import { prepareIdentity } from './prepare.ts';

await runTokenIssuingService({
  name: 'identity',
  config: identityConfig,
  async start({ config, logger, pool, transport }) {
    const hasher = createPasswordHasher();
    await prepareIdentity({ pool, hasher, logger, config });
    return buildIdentityApp({ pool, transport, hasher, logger, settings: settingsFrom(config) });
  },
});
