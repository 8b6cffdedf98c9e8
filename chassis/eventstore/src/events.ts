/** An event to append: its type and data, with an id (a UUIDv7 is made when absent) and free-form metadata. */
export interface EventInput<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly id?: string;
  /** Correlation and causation ids, who did it: whatever is not the event's business meaning. */
  readonly metadata?: Record<string, unknown>;
}

/** What the store adds to an event when it records it. */
export interface RecordedFacts {
  readonly id: string;
  readonly streamId: string;
  /** 1 for a stream's first event; contiguous within a stream. */
  readonly version: number;
  readonly metadata: Record<string, unknown>;
  /** Taken at insert: unique and growing, but not in commit order (see `GlobalCursor`). */
  readonly position: number;
  /** The writing transaction's id (xid8, as decimal text). */
  readonly txid: string;
  readonly recordedAt: Date;
}

/**
 * A recorded event. `Event` is usually a domain's union of `{ type, data }` shapes, so that a
 * `switch (event.type)` narrows `data`. The store does not validate data: the type is the reader's claim.
 */
export type RecordedEvent<Event extends { type: string; data: unknown } = { type: string; data: unknown }> = Event &
  RecordedFacts;

/**
 * A place in the global, committed-only order of events: `(txid, position)` of the last event read.
 * Events are read only once every transaction that could still add an earlier one has finished, so a
 * cursor never moves past an event that commits later.
 */
export interface GlobalCursor {
  readonly txid: string;
  readonly position: number;
}

/** Before the first event. */
export const START: GlobalCursor = { txid: '0', position: 0 };

export interface EventRow {
  position: number;
  txid: string;
  stream_id: string;
  version: number;
  event_id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

export const EVENT_COLUMNS =
  'position, txid::text AS txid, stream_id, version, event_id, type, data, metadata, recorded_at';

export function toRecordedEvent<Event extends { type: string; data: unknown }>(row: EventRow): RecordedEvent<Event> {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    version: row.version,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    position: row.position,
    txid: row.txid,
    recordedAt: row.recorded_at,
  } as RecordedEvent<Event>;
}
