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
  // A connection lost mid-transaction is reported twice: through the failing query (handled below)
  // and as the client's 'error' event, which would crash the process if nothing listened for it.
  client.on('error', ignoreConnectionError);
  const release = (destroy: boolean): void => {
    client.removeListener('error', ignoreConnectionError);
    client.release(destroy);
  };
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
    release(false);
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
      release(false);
    } catch {
      // The connection is broken; destroy it rather than hand it to the next caller.
      release(true);
    }
    throw error;
  }
}

function ignoreConnectionError(): void {
  // Deliberately empty: the failure already reaches the caller through the query that failed.
}

/** SQLSTATEs of a transaction PostgreSQL aborted to break a conflict with another: deadlock, serialization failure. */
const CONFLICT_SQLSTATES = new Set(['40P01', '40001']);

/**
 * Whether PostgreSQL aborted the transaction only because another one got in its way (a deadlock it
 * broke, or a serialization failure): the whole transaction is worth running again as it is.
 *
 * @example
 * for (let attempt = 1; ; attempt++) {
 *   try { return await withTransaction(pool, work); }
 *   catch (error) { if (!isTransactionConflict(error) || attempt === 3) throw error; }
 * }
 */
export function isTransactionConflict(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: unknown };
  return typeof code === 'string' && CONFLICT_SQLSTATES.has(code);
}
