import { z } from 'zod';
import { runMessagingService } from '@talad/bootstrap';
import { buildPaymentApp } from './app.ts';
import { createProviderClient } from './provider/index.ts';

await runMessagingService({
  name: 'payment',
  config: {
    /** The card processor's origin (the simulator in the embedded topology). */
    PROVIDER_URL: z.url(),
    /** Deadline of one call to the provider; a call without an answer by then is retried with the same key. */
    PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
    /** Shared with the counter service, which signs its payment webhooks with it (HMAC-SHA256). */
    COUNTER_WEBHOOK_SECRET: z.string().min(16),
    /** How long a pay-at-counter slip may be paid: two days, or seconds for demos and tests. */
    PAY_SLIP_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(90 * 24 * 3600)
      .default(48 * 3600),
  },
  async start({ config, logger, pool, transport, verifier }) {
    const provider = createProviderClient({
      baseUrl: config.PROVIDER_URL,
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
      logger,
    });
    return buildPaymentApp({
      pool,
      transport,
      verifier,
      provider,
      logger,
      counterWebhookSecret: config.COUNTER_WEBHOOK_SECRET,
      slipTtlMs: config.PAY_SLIP_TTL_SECONDS * 1000,
    });
  },
});
