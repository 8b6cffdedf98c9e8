import type { Pool } from '@talad/pg';

const BATCH = 5_000;

/**
 * Deletes inbox rows older than the retention, a batch at a time so no long transaction holds back
 * the relay. The retention must outlast any redelivery window: a message redelivered after its inbox
 * row is gone would be handled twice.
 */
export async function cleanInbox(pool: Pool, retentionDays: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await pool.query(
      `DELETE FROM inbox WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM inbox WHERE handled_at < now() - make_interval(days => $1) LIMIT $2))`,
      [retentionDays, BATCH],
    );
    deleted += result.rowCount ?? 0;
    if ((result.rowCount ?? 0) < BATCH) return deleted;
  }
}
