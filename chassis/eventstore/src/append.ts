import { newId } from '@talad/core';
import type { Queryable } from '@talad/pg';
import { ConcurrencyError, DuplicateEventError } from './errors.ts';
import type { EventInput } from './events.ts';

export interface AppendResult {
  /** The stream's version after the append: the expected version of the next one. */
  readonly nextExpectedVersion: number;
  /** The appended events' ids and global positions, in stream order. */
  readonly appended: ReadonlyArray<{ readonly id: string; readonly version: number; readonly position: number }>;
}

const UNIQUE_VIOLATION = '23505';

/**
 * Appends `events` to a stream if it is still at `expectedVersion` (0: the stream must not exist yet),
 * in the caller's transaction, so the events commit with whatever else it writes (an outbox row, a
 * saga's state). Of two writers appending at the same expected version exactly one succeeds; the other
 * gets a `ConcurrencyError`, either at once or, when they raced, when the winner commits.
 *
 * @example
 * const stream = await readStream<OrderEvent>(tx, `order-${id}`);
 * const events = decide(command, stream.events.reduce(evolve, initialState()));
 * await append(tx, `order-${id}`, stream.version, events);
 */
export async function append(
  tx: Queryable,
  streamId: string,
  expectedVersion: number,
  events: readonly EventInput[],
): Promise<AppendResult> {
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw new RangeError(`expected version must be a whole number ≥ 0, got ${expectedVersion}`);
  }
  if (events.length === 0) throw new RangeError('append needs at least one event');
  const ids = events.map((event) => event.id ?? newId());
  let rows: Array<{ event_id: string; version: number; position: number }>;
  try {
    // The version check and the insert are one statement: no round trip between them, and the unique
    // (stream_id, version) key settles a race between two writers that both passed the check.
    ({ rows } = await tx.query<{ event_id: string; version: number; position: number }>(
      `INSERT INTO events (stream_id, version, event_id, type, data, metadata)
       SELECT $1, $2 + e.ordinality, e.id, e.type, e.data::jsonb, e.metadata::jsonb
       FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS e(id, type, data, metadata, ordinality)
       WHERE (SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1) = $2
       RETURNING event_id, version, position`,
      [
        streamId,
        expectedVersion,
        ids,
        events.map((event) => event.type),
        events.map((event) => JSON.stringify(event.data)),
        events.map((event) => JSON.stringify(event.metadata ?? {})),
      ],
    ));
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === UNIQUE_VIOLATION && constraint === 'events_stream_version') {
      throw new ConcurrencyError(streamId, expectedVersion, undefined);
    }
    if (code === UNIQUE_VIOLATION && constraint === 'events_event_id') throw new DuplicateEventError(streamId);
    throw error;
  }
  if (rows.length === 0) {
    const { rows: current } = await tx.query<{ version: number }>(
      'SELECT coalesce(max(version), 0)::int AS version FROM events WHERE stream_id = $1',
      [streamId],
    );
    throw new ConcurrencyError(streamId, expectedVersion, current[0]?.version ?? 0);
  }
  const appended = rows
    .map((row) => ({ id: row.event_id, version: row.version, position: row.position }))
    .sort((a, b) => a.version - b.version);
  return { nextExpectedVersion: expectedVersion + events.length, appended };
}
