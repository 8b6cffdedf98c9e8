import { z } from 'zod';
import { createPool } from '@talad/pg';
import { runService } from '@talad/service';
import { buildCatalogApp } from './app.ts';

await runService({
  name: 'catalog',
  config: { DATABASE_URL: z.string().min(1) },
  async start({ config, logger, onShutdown }) {
    const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: 'catalog' });
    onShutdown(() => pool.end());
    return buildCatalogApp({ pool, logger });
  },
});
