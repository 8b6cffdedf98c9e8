import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from './pool.ts';
import { withTransaction } from './transaction.ts';

export interface Migration {
  /** File name, e.g. `0001_products.sql`; applied in name order. */
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateOptions {
  /**
   * Recorded before each name, so a library's migrations (a chassis package's tables in the service's
   * database) and the service's own never clash: `messaging/0001_outbox.sql`.
   */
  scope?: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.sql$/;
// Any fixed number works; it only has to be the same for every process that migrates.
const MIGRATION_LOCK_KEY = 7_201_977;

export async function loadMigrations(directory: string): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const name of files) {
    if (!MIGRATION_FILE.test(name)) {
      throw new Error(`migration file ${name} must be named NNNN_lower_snake_case.sql`);
    }
    const sql = await readFile(join(directory, name), 'utf8');
    migrations.push({ name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

/**
 * Applies plain-SQL migrations in order, each in its own transaction, recording them in
 * `schema_migrations`. An advisory lock lets several instances start at once safely. A migration
 * edited after it was applied is refused: migrations are append-only.
 */
export async function migrate(pool: Pool, directory: string, options: MigrateOptions = {}): Promise<MigrationResult> {
  const migrations = (await loadMigrations(directory)).map((migration) =>
    options.scope ? { ...migration, name: `${options.scope}/${migration.name}` } : migration,
  );
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await lock.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await lock.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM schema_migrations',
    );
    const done = new Map(rows.map((row) => [row.name, row.checksum]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const recorded = done.get(migration.name);
      if (recorded !== undefined) {
        if (recorded !== migration.checksum) {
          throw new Error(`migration ${migration.name} changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await withTransaction(pool, async (tx) => {
        await tx.query(migration.sql);
        await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
          migration.name,
          migration.checksum,
        ]);
      });
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    lock.release();
  }
}
