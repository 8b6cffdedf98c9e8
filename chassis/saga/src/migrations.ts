import { fileURLToPath } from 'node:url';
import { migrate, type MigrationResult, type Pool } from '@talad/pg';

/** The saga instance and history tables, as plain-SQL migrations for the service's own database. */
export const sagaMigrationsDirectory = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or updates the saga tables in a service's database, recorded under the `saga/` scope so they
 * never clash with the service's own migrations.
 *
 * @example
 * await migrateMessaging(pool); // outbox, inbox, dead_letters
 * await migrateSaga(pool); // saga_instances, saga_history
 */
export function migrateSaga(pool: Pool): Promise<MigrationResult> {
  return migrate(pool, sagaMigrationsDirectory, { scope: 'saga' });
}
