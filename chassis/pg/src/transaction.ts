import type { Pool, PoolClient } from './pool.ts';

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  isolation?: IsolationLevel;
  readOnly?: boolean;
}

/**
 * Runs `work` inside one database transaction: committed when it returns, rolled back when it throws.
 *
 * @example
 * const id = await withTransaction(pool, async (tx) => {
 *   const { rows } = await tx.query('INSERT INTO products (...) VALUES (...) RETURNING id', [...]);
 *   return rows[0].id;
 * });
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (tx: PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    const mode = [
      options.isolation ? `ISOLATION LEVEL ${options.isolation.toUpperCase()}` : '',
      options.readOnly ? 'READ ONLY' : '',
    ]
      .filter(Boolean)
      .join(' ');
    await client.query(mode ? `BEGIN ${mode}` : 'BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch {
      // The connection is broken; destroy it rather than hand it to the next caller.
      client.release(true);
    }
    throw error;
  }
}
