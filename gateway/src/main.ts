import { z } from 'zod';
import { runService } from '@talad/service';
import { buildGatewayApp } from './app.ts';

await runService({
  name: 'gateway',
  config: {
    PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
    CATALOG_URL: z.url(),
  },
  start: ({ config, logger }) => buildGatewayApp({ upstreams: { catalog: config.CATALOG_URL }, logger }),
});
