import { runMessagingService } from '@talad/bootstrap';
import { buildOrderHistoryApp } from './app.ts';

await runMessagingService({
  name: 'order-history',
  config: {},
  start: async ({ pool, transport, verifier, logger }) => buildOrderHistoryApp({ pool, transport, verifier, logger }),
});
