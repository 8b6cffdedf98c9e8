import { fileURLToPath } from 'node:url';
import { migrate, type MigrationResult, type Pool } from '@talad/pg';

/** The `events` and `projection_checkpoints` tables, as plain-SQL migrations for the service's own database. */
export const eventStoreMigrationsDirectory = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or updates the event store's tables in a service's database, recorded under the `eventstore/`
 * scope so they never clash with the service's own migrations.
 *
 * @example
 * await migrateEventStore(pool);
 */
export function migrateEventStore(pool: Pool): Promise<MigrationResult> {
  return migrate(pool, eventStoreMigrationsDirectory, { scope: 'eventstore' });
}
