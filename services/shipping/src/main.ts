import { z } from 'zod';
import { runMessagingService } from '@talad/bootstrap';
import { buildShippingApp, DEFAULT_COURIER_NAME } from './app.ts';
import { createCourierClient } from './courier/courier-client.ts';

await runMessagingService({
  name: 'shipping',
  config: {
    /** The courier's API, where pickups are booked and called off. */
    COURIER_URL: z.url(),
    /** Where the courier POSTs its status updates: this service's `/courier/updates`, as the courier reaches it. */
    COURIER_CALLBACK_URL: z.url(),
    /** The key of the HMAC the courier signs its updates with; given to it with every booking. */
    COURIER_WEBHOOK_SECRET: z.string().min(16),
    COURIER_NAME: z.string().min(1).default(DEFAULT_COURIER_NAME),
  },
  async start({ config, logger, pool, transport, verifier }) {
    const client = createCourierClient({
      baseUrl: config.COURIER_URL,
      callbackUrl: config.COURIER_CALLBACK_URL,
      callbackSecret: config.COURIER_WEBHOOK_SECRET,
    });
    return buildShippingApp({
      pool,
      transport,
      verifier,
      logger,
      courier: { client, updateSecret: config.COURIER_WEBHOOK_SECRET, name: config.COURIER_NAME },
    });
  },
});
