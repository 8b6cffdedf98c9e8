import type { Queryable } from '@talad/pg';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow, type RecordedEvent } from './events.ts';

export interface Stream<Event extends { type: string; data: unknown }> {
  readonly streamId: string;
  /** The last event's version; 0 for a stream with no events (the expected version for a new stream). */
  readonly version: number;
  readonly events: ReadonlyArray<RecordedEvent<Event>>;
}

/**
 * Every event of one stream, in version order, and the stream's version (the expected version for the
 * next append). A stream that does not exist reads as empty, at version 0.
 *
 * @example
 * const { version, events } = await readStream<OrderEvent>(pool, `order-${orderId}`);
 * const state = events.reduce(evolve, initialState());
 */
export async function readStream<Event extends { type: string; data: unknown } = { type: string; data: unknown }>(
  db: Queryable,
  streamId: string,
): Promise<Stream<Event>> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY version`,
    [streamId],
  );
  const events = rows.map((row) => toRecordedEvent<Event>(row));
  return { streamId, version: events.at(-1)?.version ?? 0, events };
}
