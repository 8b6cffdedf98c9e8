import { z } from 'zod';
import { runService } from '@talad/service';
import { buildCardProviderApp } from './app.ts';

await runService({
  name: 'card-provider',
  config: {
    /** Added before every `/v1` call. */
    LATENCY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
    /** Share of `/v1` calls answered 503 without acting, 0..1. */
    FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
    /** How long authorizing the slow test card (4000000000000259) takes. */
    SLOW_CARD_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  },
  async start({ config, logger }) {
    return buildCardProviderApp({
      logger,
      faults: {
        latencyMs: config.LATENCY_MS,
        failureRate: config.FAILURE_RATE,
        slowCardDelayMs: config.SLOW_CARD_DELAY_MS,
      },
    });
  },
});
