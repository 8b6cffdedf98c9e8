import { fileURLToPath } from 'node:url';
import { migrate, type Pool } from '@talad/pg';

/** The message log's own migrations, recorded under the `message-log/` scope. */
export const messageLogMigrationsDirectory = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates or updates the message log's tables, and checks that this instance splits topics into as
 * many partitions as the log was created with.
 */
export async function prepareMessageLog(pool: Pool, partitions: number): Promise<void> {
  await migrate(pool, messageLogMigrationsDirectory, { scope: 'message-log' });
  await pool.query('INSERT INTO message_log_settings (partitions) VALUES ($1) ON CONFLICT DO NOTHING', [partitions]);
  const { rows } = await pool.query<{ partitions: number }>('SELECT partitions FROM message_log_settings');
  const stored = rows[0]?.partitions;
  if (stored !== partitions) {
    throw new Error(
      `the message log was created with ${stored ?? '?'} partitions per topic, but this instance uses ${partitions}; ` +
        'every instance must use the same number',
    );
  }
}
