import { fileURLToPath } from 'node:url';
import { migrateEventStore } from '@talad/eventstore';
import { migrate, type Pool } from '@talad/pg';
import { migrateSaga } from '@talad/saga';

/** Ordering's own plain-SQL migrations (idempotency keys, replicas), run by talad before the service starts. */
export const migrationsDirectory = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * The chassis tables ordering keeps in its database besides its own (which talad migrates, with the
 * messaging tables): the event store's (the orders' streams) and the saga orchestrator's (checkout
 * instances and their history). The service's role owns its database, so it may create them; main runs
 * this at start, and each is recorded under its own scope, so running it again changes nothing.
 */
export async function migrateOrderingChassis(pool: Pool): Promise<void> {
  await migrateEventStore(pool);
  await migrateSaga(pool);
}

/** Everything ordering's database needs, for tests and tools: its own tables and the chassis'. */
export async function migrateOrdering(pool: Pool): Promise<void> {
  await migrate(pool, migrationsDirectory);
  await migrateOrderingChassis(pool);
}
