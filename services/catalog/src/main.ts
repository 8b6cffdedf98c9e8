import { runMessagingService } from '@talad/bootstrap';
import { buildCatalogApp } from './app.ts';

await runMessagingService({
  name: 'catalog',
  config: {},
  start: async ({ pool, transport, verifier, logger }) => buildCatalogApp({ pool, transport, verifier, logger }),
});
