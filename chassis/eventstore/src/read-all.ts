import type { Queryable } from '@talad/pg';
import {
  EVENT_COLUMNS,
  START,
  toRecordedEvent,
  type EventRow,
  type GlobalCursor,
  type RecordedEvent,
} from './events.ts';

export interface ReadAllOptions {
  /** Read events after this place; from the first event when omitted. */
  after?: GlobalCursor;
  /** Most events returned. Defaults to 500. */
  limit?: number;
  /** Only events of these types; all when omitted. */
  types?: readonly string[];
}

export interface ReadAllResult {
  readonly events: readonly RecordedEvent[];
  /** Where to read next: the last event returned, or `after` when none was. */
  readonly cursor: GlobalCursor;
}

/**
 * Events of every stream in one global order that never skips: only events of transactions older than
 * every transaction still open (`txid < pg_snapshot_xmin`), ordered by `(txid, position)`. An event whose
 * transaction commits late sorts by its transaction, after the cursor, instead of behind it. A long-open
 * transaction (anywhere on the server) delays readers but loses nothing.
 *
 * Read outside any transaction that has already written: the reader's own open transaction would
 * count as one still running and hold its own reads back.
 *
 * @example
 * let cursor = START;
 * const { events, cursor: next } = await readAll(pool, { after: cursor, limit: 100 });
 */
export async function readAll(db: Queryable, options: ReadAllOptions = {}): Promise<ReadAllResult> {
  const after = options.after ?? START;
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
       AND (txid, position) > ($1::text::xid8, $2::bigint)
       AND ($4::text[] IS NULL OR type = ANY ($4::text[]))
     ORDER BY txid, position
     LIMIT $3`,
    [after.txid, after.position, options.limit ?? 500, options.types ?? null],
  );
  const events = rows.map((row) => toRecordedEvent(row));
  const last = events.at(-1);
  return { events, cursor: last ? { txid: last.txid, position: last.position } : after };
}
