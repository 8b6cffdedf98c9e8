import { z } from 'zod';
import { runService } from '@talad/service';
import { buildCounterServiceApp } from './app.ts';

await runService({
  name: 'counter-service',
  config: {
    /** The biller's webhook: payment's `POST /webhooks/counter-service`. */
    WEBHOOK_URL: z.url(),
    /** Shared with payment, which checks every delivery's signature with it. */
    COUNTER_WEBHOOK_SECRET: z.string().min(16),
  },
  async start({ config, logger }) {
    return buildCounterServiceApp({ webhookUrl: config.WEBHOOK_URL, secret: config.COUNTER_WEBHOOK_SECRET, logger });
  },
});
