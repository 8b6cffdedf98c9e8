import { z } from 'zod';
import { runService } from '@talad/service';
import { buildCourierApp } from './app.ts';

await runService({
  name: 'courier',
  config: {
    /** Seconds between booking and dispatch, and between each later step. */
    COURIER_STEP_SECONDS: z.coerce.number().positive().max(86_400).default(5),
    /** Seconds before a failed status update is sent again (doubling, at most 30). */
    COURIER_RETRY_SECONDS: z.coerce.number().min(1).max(30).default(1),
  },
  async start({ config, logger }) {
    return buildCourierApp({
      logger,
      pace: {
        stepMs: Math.round(config.COURIER_STEP_SECONDS * 1000),
        retryMs: Math.round(config.COURIER_RETRY_SECONDS * 1000),
      },
    });
  },
});
