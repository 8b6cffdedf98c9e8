import pg from 'pg';
import type { Pool, PoolClient } from '@talad/pg';

export interface PiggybackedStatements {
  /** Statements sent with BEGIN, in the same round trip; their results go to `work`. */
  afterBegin?: string;
  /** Statements sent with COMMIT, in the same round trip, once `work` resolved. */
  beforeCommit?: () => string | undefined;
}

/**
 * `withTransaction` from @talad/pg, except that messaging's own statements ride along with BEGIN and
 * COMMIT instead of taking round trips of their own: the inbox claim is sent with BEGIN, the outbox rows a
 * transaction wrote are sent with its COMMIT. A round trip is most of what a short transaction costs, so
 * a service's transaction with an outbox write costs about what it costs without, and a consumed message
 * one round trip less. The statements are literal SQL (simple protocol: no parameters); build them with
 * `sqlLiteral`. A failing statement aborts the transaction, which is then rolled back as usual.
 */
export async function runTransaction<T>(
  pool: Pool,
  work: (tx: PoolClient, begun: readonly pg.QueryResult[]) => Promise<T>,
  statements: PiggybackedStatements = {},
): Promise<T> {
  const client = await pool.connect();
  // A connection lost mid-transaction also surfaces as the client's 'error' event: the failing query
  // already reports it, so the event must not crash the process.
  client.on('error', ignore);
  const finish = (destroy: boolean): void => {
    client.removeListener('error', ignore);
    client.release(destroy);
  };
  try {
    const begun = await client.query(join('BEGIN', statements.afterBegin));
    const result = await work(client, resultsOf(begun).slice(1));
    await client.query(join(statements.beforeCommit?.(), 'COMMIT'));
    finish(false);
    return result;
  } catch (error) {
    const rolledBack = await client.query('ROLLBACK').then(
      () => true,
      () => false,
    );
    // A connection that cannot even roll back is broken: destroyed, never handed to the next caller.
    finish(!rolledBack);
    throw error;
  }
}

/** A string, number or byte value as an SQL literal. */
export function sqlLiteral(value: string | number | Uint8Array): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return pg.escapeLiteral(value);
  return `decode('${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}', 'hex')`;
}

function join(...parts: ReadonlyArray<string | undefined>): string {
  return parts.filter((part) => part !== undefined && part.length > 0).join('; ');
}

function resultsOf(result: pg.QueryResult | pg.QueryResult[]): pg.QueryResult[] {
  return Array.isArray(result) ? result : [result];
}

function ignore(): void {
  // The failure reaches the caller through the query that failed.
}
