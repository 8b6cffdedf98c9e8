import { newId } from '@talad/core';
import { withTransaction, type Pool } from '@talad/pg';
import { appendToOutbox } from './outbox.ts';

/**
 * Why a consumer group gave up on a message: the body is not a CloudEvent, its type or version is not
 * one the group handles, its data fails the schema, or the handler kept failing.
 */
export const DEAD_LETTER_FAILURES = [
  'malformed',
  'unknown-type',
  'unknown-version',
  'invalid-data',
  'handler-failed',
] as const;

export type DeadLetterFailure = (typeof DEAD_LETTER_FAILURES)[number];

export interface DeadLetterSummary {
  readonly id: string;
  readonly group: string;
  /** The CloudEvent id, or the transport's message id when the body could not be read. */
  readonly messageId: string;
  readonly topic: string;
  readonly key: string;
  /** The CloudEvent type; null when the body could not be read. */
  readonly type: string | null;
  readonly failure: DeadLetterFailure;
  readonly reason: string;
  /** Handler attempts, summed over every time this message failed. */
  readonly attempts: number;
  readonly firstFailedAt: string;
  readonly lastFailedAt: string;
  /** When it was last sent again; null while it waits for an operator. */
  readonly replayedAt: string | null;
  readonly replayCount: number;
}

export interface DeadLetter extends DeadLetterSummary {
  /** The message body exactly as received: UTF-8 text when it is, else base64. */
  readonly body: string;
  readonly bodyEncoding: 'utf8' | 'base64';
}

export interface NewDeadLetter {
  group: string;
  messageId: string;
  topic: string;
  key: string;
  type: string | undefined;
  body: Uint8Array;
  failure: DeadLetterFailure;
  reason: string;
  attempts: number;
  firstFailedAt: Date;
}

export interface DeadLetterFilter {
  group?: string;
  /** `waiting` (the default): not replayed since they last failed. */
  state?: 'waiting' | 'replayed' | 'all';
  /** At most 500; defaults to 50. */
  limit?: number;
  /** Paging: only dead letters older than this id (ids are UUIDv7, so time-ordered). */
  before?: string;
}

export interface ReplayOutcome {
  /** False when it had already been replayed and has not failed since: nothing was sent again. */
  readonly replayed: boolean;
  readonly deadLetter: DeadLetterSummary;
}

/** The dead letters in a service's database: written by the consumer runtime, read and replayed by operators. */
export interface DeadLetterStore {
  /** Newest first. */
  list(filter?: DeadLetterFilter): Promise<DeadLetterSummary[]>;
  show(id: string): Promise<DeadLetter | undefined>;
  /**
   * Sends the message again, unchanged, to its topic through the outbox, and marks it replayed, in one
   * transaction. Replaying twice sends it once. Other groups on the topic drop it through their inbox;
   * undefined when there is no such dead letter.
   */
  replay(id: string): Promise<ReplayOutcome | undefined>;
  /** Records a failure; the same message failing again updates its row and makes it replayable again. */
  record(entry: NewDeadLetter): Promise<void>;
}

interface DeadLetterRow {
  id: string;
  consumer_group: string;
  message_id: string;
  topic: string;
  key: string;
  type: string | null;
  failure: DeadLetterFailure;
  reason: string;
  attempts: number;
  first_failed_at: Date;
  last_failed_at: Date;
  replayed_at: Date | null;
  replay_count: number;
  body?: Buffer;
}

const SUMMARY_COLUMNS = `id, consumer_group, message_id, topic, key, type, failure, reason, attempts,
  first_failed_at, last_failed_at, replayed_at, replay_count`;

/**
 * @example
 * const deadLetters = createDeadLetterStore(pool, { onReplayed: () => relay.wake() });
 * for (const letter of await deadLetters.list()) console.log(letter.type, letter.reason);
 * await deadLetters.replay(letterId);
 */
export function createDeadLetterStore(pool: Pool, options: { onReplayed?: () => void } = {}): DeadLetterStore {
  return {
    async list(filter = {}) {
      const state = filter.state ?? 'waiting';
      const { rows } = await pool.query<DeadLetterRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM dead_letters
         WHERE ($1::text IS NULL OR consumer_group = $1)
           AND ($2 = 'all' OR ($2 = 'waiting') = (replayed_at IS NULL))
           AND ($3::uuid IS NULL OR id < $3)
         ORDER BY id DESC LIMIT $4`,
        [filter.group ?? null, state, filter.before ?? null, Math.min(Math.max(filter.limit ?? 50, 1), 500)],
      );
      return rows.map(toSummary);
    },

    async show(id) {
      const { rows } = await pool.query<DeadLetterRow>(
        `SELECT ${SUMMARY_COLUMNS}, body FROM dead_letters WHERE id = $1`,
        [id],
      );
      const row = rows[0];
      return row ? { ...toSummary(row), ...bodyOf(row.body ?? Buffer.alloc(0)) } : undefined;
    },

    async replay(id) {
      const outcome = await withTransaction(pool, async (tx) => {
        // The guard on replayed_at makes a second (or concurrent) replay a no-op: the row lock
        // serializes them and the loser finds it already replayed.
        const claimed = await tx.query<DeadLetterRow>(
          `UPDATE dead_letters SET replayed_at = now(), replay_count = replay_count + 1
           WHERE id = $1 AND replayed_at IS NULL
           RETURNING ${SUMMARY_COLUMNS}, body`,
          [id],
        );
        const row = claimed.rows[0];
        if (row) {
          // A fresh transport id: brokers that deduplicate by id would drop the original one. The
          // body, and so the CloudEvent id the inboxes key on, is unchanged.
          await appendToOutbox(tx, [
            {
              id: newId(),
              topic: row.topic,
              key: row.key,
              type: row.type ?? 'unknown',
              body: row.body ?? Buffer.alloc(0),
            },
          ]);
          return { replayed: true, deadLetter: toSummary(row) };
        }
        const existing = await tx.query<DeadLetterRow>(`SELECT ${SUMMARY_COLUMNS} FROM dead_letters WHERE id = $1`, [
          id,
        ]);
        const found = existing.rows[0];
        return found ? { replayed: false, deadLetter: toSummary(found) } : undefined;
      });
      if (outcome?.replayed) options.onReplayed?.();
      return outcome;
    },

    async record(entry) {
      await pool.query(
        `INSERT INTO dead_letters (id, consumer_group, message_id, topic, key, type, body, failure, reason, attempts,
           first_failed_at, last_failed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
         ON CONFLICT (consumer_group, message_id) DO UPDATE SET
           topic = EXCLUDED.topic, key = EXCLUDED.key, type = EXCLUDED.type, body = EXCLUDED.body,
           failure = EXCLUDED.failure, reason = EXCLUDED.reason, attempts = dead_letters.attempts + EXCLUDED.attempts,
           last_failed_at = EXCLUDED.last_failed_at, replayed_at = NULL`,
        [
          newId(),
          entry.group,
          entry.messageId,
          entry.topic,
          entry.key,
          entry.type ?? null,
          Buffer.from(entry.body.buffer, entry.body.byteOffset, entry.body.byteLength),
          entry.failure,
          entry.reason,
          entry.attempts,
          entry.firstFailedAt,
        ],
      );
    },
  };
}

function toSummary(row: DeadLetterRow): DeadLetterSummary {
  return {
    id: row.id,
    group: row.consumer_group,
    messageId: row.message_id,
    topic: row.topic,
    key: row.key,
    type: row.type,
    failure: row.failure,
    reason: row.reason,
    attempts: row.attempts,
    firstFailedAt: row.first_failed_at.toISOString(),
    lastFailedAt: row.last_failed_at.toISOString(),
    replayedAt: row.replayed_at?.toISOString() ?? null,
    replayCount: row.replay_count,
  };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function bodyOf(body: Buffer): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  try {
    return { body: strictUtf8.decode(body), bodyEncoding: 'utf8' };
  } catch {
    return { body: body.toString('base64'), bodyEncoding: 'base64' };
  }
}
