import type { Pool, PoolClient } from '@talad/pg';

const ignore = (): void => undefined;

/**
 * `withTransaction` from @talad/pg, except that the client has an 'error' listener while checked
 * out: a connection lost mid-transaction then fails the transaction instead of also surfacing as an
 * unhandled 'error' event that would crash the process.
 */
export async function inTransaction<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  client.on('error', ignore);
  const release = (destroy: boolean): void => {
    client.removeListener('error', ignore);
    client.release(destroy);
  };
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    release(false);
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
      release(false);
    } catch {
      release(true);
    }
    throw error;
  }
}
