/**
 * Seeds the catalogue: `DATABASE_URL=postgres://... node services/catalog/src/seed.ts`.
 * Applies the catalog's migrations, then inserts the generated products if there are none yet.
 * Safe to run again: a seeded catalogue is left as it is.
 */
import { createPool, migrate } from '@talad/pg';
import { migrationsDirectory } from './migrations.ts';
import { seedCatalog } from './seed/index.ts';

const databaseUrl = process.env['DATABASE_URL'];
if (!databaseUrl) {
  process.stderr.write('seeding catalog: DATABASE_URL is not set (e.g. postgres://catalog@127.0.0.1:5432/catalog)\n');
  process.exit(2);
}

const pool = createPool({
  connectionString: databaseUrl,
  applicationName: 'catalog-seed',
  max: 2,
  statementTimeoutMs: 120_000,
});
try {
  const started = performance.now();
  await migrate(pool, migrationsDirectory);
  const result = await seedCatalog(pool, { log: (line) => process.stdout.write(`${line}\n`) });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    result.seeded
      ? `seeding catalog: done, ${result.products} products and ${result.searchWords} search words in ${seconds}s\n`
      : `seeding catalog: already seeded (${result.products} products), nothing to do\n`,
  );
} catch (error) {
  process.stderr.write(`seeding catalog failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
