import type { Queryable } from '@talad/pg';
import { sqlLiteral } from './transaction.ts';

/** One row for the outbox: a message exactly as the relay will hand it to the transport. */
export interface OutboxRow {
  /** The transport message id: the CloudEvent id, or a fresh one for a replayed dead letter. */
  readonly id: string;
  readonly topic: string;
  readonly key: string;
  readonly type: string;
  readonly body: Uint8Array;
}

/**
 * Appends messages to the outbox through the caller's connection, so they commit or roll back with
 * the caller's transaction. Never call it with a pool outside a transaction for messages that
 * announce a change: the change and its message must commit together.
 */
export async function appendToOutbox(db: Queryable, rows: readonly OutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO outbox (id, topic, key, type, body)
     SELECT id, topic, key, type, body
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[]) WITH ORDINALITY AS m (id, topic, key, type, body, n)
     ORDER BY n`,
    [
      rows.map((row) => row.id),
      rows.map((row) => row.topic),
      rows.map((row) => row.key),
      rows.map((row) => row.type),
      rows.map((row) => Buffer.from(row.body.buffer, row.body.byteOffset, row.body.byteLength)),
    ],
  );
}

/**
 * The same insert as literal SQL, to send with the transaction's COMMIT (see `runTransaction`); undefined
 * when there is nothing to insert. Rows get their seq in array order.
 */
export function outboxInsertSql(rows: readonly OutboxRow[]): string | undefined {
  if (rows.length === 0) return undefined;
  const values = rows.map(
    (row) =>
      `(${sqlLiteral(row.id)}, ${sqlLiteral(row.topic)}, ${sqlLiteral(row.key)}, ${sqlLiteral(row.type)}, ${sqlLiteral(row.body)})`,
  );
  return `INSERT INTO outbox (id, topic, key, type, body) VALUES ${values.join(', ')}`;
}

/** How much the relay has left to do, for the depth and lag gauges. */
export async function readOutboxBacklog(db: Queryable): Promise<{ depth: number; lagSeconds: number }> {
  const { rows } = await db.query<{ depth: number; lag_seconds: number | null }>(
    `SELECT count(*)::int AS depth, extract(epoch FROM now() - min(created_at))::float8 AS lag_seconds FROM outbox`,
  );
  const row = rows[0];
  return { depth: row?.depth ?? 0, lagSeconds: Math.max(0, row?.lag_seconds ?? 0) };
}
