/** A minimal service run as a real process by run.int.spec.ts: one slow route, nothing else. */
import { z } from 'zod';
import { createServiceApp, runService } from '../src/index.ts';

await runService({
  name: 'echo',
  config: { ECHO_GREETING: z.string().min(1) },
  async start({ config, logger, onShutdown }) {
    const app = await createServiceApp({ name: 'echo', logger });
    app.get('/greet', async (request) => {
      request.log.info('greeting');
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { greeting: config.ECHO_GREETING };
    });
    onShutdown(() => {
      logger.info('cleanup ran');
    });
    return app;
  },
});
