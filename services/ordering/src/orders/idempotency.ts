import { createHash } from 'node:crypto';
import type { Queryable } from '@talad/pg';

/** What a place-order request was answered with, kept so a retry with the same key gets the same answer. */
export interface StoredAnswer {
  readonly requestHash: string;
  readonly orderId: string;
  readonly statusCode: number;
  readonly body: unknown;
}

/**
 * A fingerprint of a request body that ignores key order and formatting, so that a client resending
 * the same request (re-serialized) is recognised, and a different request under the same key is not.
 */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export async function findAnswer(db: Queryable, customerId: string, key: string): Promise<StoredAnswer | undefined> {
  const { rows } = await db.query<{ request_hash: string; order_id: string; status_code: number; response: unknown }>(
    'SELECT request_hash, order_id, status_code, response FROM idempotency_keys WHERE customer_id = $1 AND key = $2',
    [customerId, key],
  );
  const row = rows[0];
  return (
    row && { requestHash: row.request_hash, orderId: row.order_id, statusCode: row.status_code, body: row.response }
  );
}

/**
 * Claims `key` for this request in the caller's transaction, storing the answer it will give. When
 * another request holds the key, waits for its transaction (the unique key does) and answers what that
 * one stored instead; a request that rolled back leaves the key free.
 */
export async function claimKey(
  tx: Queryable,
  customerId: string,
  key: string,
  answer: StoredAnswer,
): Promise<{ claimed: true } | { claimed: false; existing: StoredAnswer }> {
  const { rowCount } = await tx.query(
    `INSERT INTO idempotency_keys (customer_id, key, request_hash, order_id, status_code, response)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (customer_id, key) DO NOTHING`,
    [customerId, key, answer.requestHash, answer.orderId, answer.statusCode, JSON.stringify(answer.body)],
  );
  if ((rowCount ?? 0) > 0) return { claimed: true };
  const existing = await findAnswer(tx, customerId, key);
  if (!existing) throw new Error('idempotency key conflicted but no stored answer was found');
  return { claimed: false, existing };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
