import type { OrderHistoryItem, OrderSummary } from '@talad/contracts-order-history';
import type { Queryable } from '@talad/pg';
import type { HistoryEvent } from './history-event.ts';
import { projectOrder } from './order-projection.ts';

interface EventRow {
  event_id: string;
  type: HistoryEvent['type'];
  order_id: string;
  occurred_at: Date;
  data: unknown;
}

/** The order's turn, for the order id in parameter `$n`: held until the transaction ends. */
const takeOrderTurn = (n: number): string =>
  `pg_advisory_xact_lock(hashtextextended('order-history:' || $${n}::text, 0))`;

/**
 * Makes one order's changes take turns, across instances and topics: an order's payment event and its
 * shipment event may be handled at the same moment, and each must see the other's row once it committed.
 */
export async function lockOrder(tx: Queryable, orderId: string): Promise<void> {
  await tx.query(`SELECT ${takeOrderTurn(1)}`, [orderId]);
}

/**
 * Takes the order's turn (as `lockOrder`) and keeps the event in order-history's own log, in one round
 * trip; false when it was already there. Statements after it see every event of the order committed
 * before the turn came.
 */
export async function recordEventInTurn(tx: Queryable, event: HistoryEvent, receivedAt: Date): Promise<boolean> {
  const { rowCount } = await tx.query(
    `WITH turn AS (SELECT ${takeOrderTurn(3)})
     INSERT INTO received_events (event_id, type, order_id, occurred_at, data, received_at)
     SELECT $1::uuid, $2::text, $3::uuid, $4::timestamptz, $5::jsonb, $6::timestamptz FROM turn
     ON CONFLICT (event_id) DO NOTHING`,
    [event.id, event.type, event.orderId, event.occurredAt, JSON.stringify(event.data), receivedAt],
  );
  return rowCount === 1;
}

export async function eventsOfOrder(tx: Queryable, orderId: string): Promise<HistoryEvent[]> {
  const { rows } = await tx.query<EventRow>(
    'SELECT event_id, type, order_id, occurred_at, data FROM received_events WHERE order_id = $1 ORDER BY seq',
    [orderId],
  );
  return rows.map(toEvent);
}

/** Every received event, in the order it was recorded, a page at a time. */
export async function* allEvents(tx: Queryable, pageSize = 5_000): AsyncGenerator<HistoryEvent[]> {
  let after = 0;
  for (;;) {
    const { rows } = await tx.query<EventRow & { seq: string }>(
      `SELECT seq, event_id, type, order_id, occurred_at, data FROM received_events
       WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, pageSize],
    );
    const last = rows.at(-1);
    if (!last) return;
    after = Number(last.seq);
    yield rows.map(toEvent);
  }
}

/** Writes the order's summary as its events make it (none before its OrderPlaced arrived). */
export async function saveSummary(tx: Queryable, orderId: string, summary: OrderSummary | null): Promise<void> {
  if (!summary) {
    await tx.query('DELETE FROM order_summaries WHERE order_id = $1', [orderId]);
    return;
  }
  await tx.query(
    `INSERT INTO order_summaries (order_id, customer_id, placed_at, summary, updated_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (order_id) DO UPDATE
       SET customer_id = EXCLUDED.customer_id, placed_at = EXCLUDED.placed_at,
           summary = EXCLUDED.summary, updated_at = EXCLUDED.updated_at`,
    [orderId, summary.customerId, summary.placedAt, JSON.stringify(summary), summary.updatedAt],
  );
}

/** Folds the order's events again and writes the result: what every event and every repair does. */
export async function reprojectOrder(tx: Queryable, orderId: string): Promise<OrderSummary | null> {
  const summary = projectOrder(await eventsOfOrder(tx, orderId));
  await saveSummary(tx, orderId, summary);
  return summary;
}

export async function readSummary(db: Queryable, orderId: string): Promise<OrderSummary | null> {
  const { rows } = await db.query<{ summary: OrderSummary }>(
    'SELECT summary FROM order_summaries WHERE order_id = $1',
    [orderId],
  );
  return rows[0]?.summary ?? null;
}

/** Every summary of the live model, by order id. */
export async function allSummaries(db: Queryable): Promise<Map<string, OrderSummary>> {
  const { rows } = await db.query<{ order_id: string; summary: OrderSummary }>(
    'SELECT order_id, summary FROM order_summaries',
  );
  return new Map(rows.map((row) => [row.order_id, row.summary]));
}

export async function listSummaries(
  db: Queryable,
  customerId: string,
  page: number,
  pageSize: number,
): Promise<{ items: OrderHistoryItem[]; total: number }> {
  const { rows } = await db.query<{ summary: OrderSummary; total: string }>(
    `SELECT summary, count(*) OVER () AS total FROM order_summaries WHERE customer_id = $1
     ORDER BY placed_at DESC, order_id DESC LIMIT $2 OFFSET $3`,
    [customerId, pageSize, (page - 1) * pageSize],
  );
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && page > 1) {
    const counted = await db.query<{ total: string }>(
      'SELECT count(*) AS total FROM order_summaries WHERE customer_id = $1',
      [customerId],
    );
    total = Number(counted.rows[0]?.total ?? 0);
  }
  return {
    items: rows.map(({ summary }) => ({
      orderId: summary.orderId,
      status: summary.status,
      stage: summary.stage,
      totals: summary.totals,
      placedAt: summary.placedAt,
      updatedAt: summary.updatedAt,
      itemCount: summary.lines.reduce((sum, line) => sum + line.quantity, 0),
    })),
    total,
  };
}

/** When the newest event applied happened; null before the first. */
export async function newestEventTime(db: Queryable): Promise<Date | null> {
  const { rows } = await db.query<{ newest: Date | null }>('SELECT max(occurred_at) AS newest FROM received_events');
  return rows[0]?.newest ?? null;
}

function toEvent(row: EventRow): HistoryEvent {
  return {
    id: row.event_id,
    type: row.type,
    orderId: row.order_id,
    occurredAt: row.occurred_at.toISOString(),
    data: row.data,
  } as HistoryEvent;
}
