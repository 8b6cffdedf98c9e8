import { fileURLToPath } from 'node:url';
import { migrate, type MigrationResult, type Pool } from '@talad/pg';

/** The outbox, inbox and dead-letter tables, as plain-SQL migrations for the service's own database. */
export const messagingMigrationsDirectory = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or updates the messaging tables in a service's database, recorded under the `messaging/`
 * scope so they never clash with the service's own migrations.
 *
 * @example
 * await migrate(pool, migrationsDirectory); // the service's tables
 * await migrateMessaging(pool); // outbox, inbox, dead_letters
 */
export function migrateMessaging(pool: Pool): Promise<MigrationResult> {
  return migrate(pool, messagingMigrationsDirectory, { scope: 'messaging' });
}
