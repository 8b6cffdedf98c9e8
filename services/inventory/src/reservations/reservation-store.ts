import type { ReservationView, StockConsistency } from '@talad/contracts-inventory';
import type { Messaging } from '@talad/messaging';
import type { PoolClient, Queryable } from '@talad/pg';
import { applyStockChanges, lockStock } from '../stock/stock-store.ts';
import type {
  Decision,
  Reservation,
  ReservationState,
  StockRejectionReason,
  StockShortage,
} from './reservation-rules.ts';

interface ReservationRow {
  order_id: string;
  state: ReservationState;
  expires_at: Date | null;
  reason: StockRejectionReason | null;
  shortages: StockShortage[];
  created_at: Date;
  updated_at: Date;
  lines: Array<{ productId: string; quantity: number }>;
}

const RESERVATION_COLUMNS = 'r.order_id, r.state, r.expires_at, r.reason, r.shortages, r.created_at, r.updated_at';
const LINES_OF_R = `coalesce((SELECT json_agg(json_build_object('productId', l.product_id, 'quantity', l.quantity)
  ORDER BY l.product_id) FROM reservation_lines l WHERE l.order_id = r.order_id), '[]') AS lines`;

/**
 * The order's reservation, its row locked until the transaction ends (null when there is none), so
 * two commands for one order take turns. Reservation rows are always locked before stock rows.
 */
export async function lockReservation(tx: PoolClient, orderId: string): Promise<Reservation | null> {
  const { rows } = await tx.query<ReservationRow>(
    `SELECT ${RESERVATION_COLUMNS}, ${LINES_OF_R} FROM reservations r WHERE r.order_id = $1 FOR UPDATE OF r`,
    [orderId],
  );
  const row = rows[0];
  return row ? toReservation(row) : null;
}

/**
 * Held reservations whose time is up, locked; rows another sweeper (another instance) holds are
 * skipped rather than waited for, so each expires once and sweepers never queue behind each other.
 */
export async function lockReservationsDue(tx: PoolClient, now: Date, limit: number): Promise<Reservation[]> {
  const { rows } = await tx.query<ReservationRow>(
    `SELECT ${RESERVATION_COLUMNS}, ${LINES_OF_R} FROM reservations r
     WHERE r.state = 'held' AND r.expires_at <= $1
     ORDER BY r.expires_at, r.order_id
     LIMIT $2
     FOR UPDATE OF r SKIP LOCKED`,
    [now, limit],
  );
  return rows.map(toReservation);
}

/**
 * Carries out a decision of the reservation rules in the caller's transaction: the reservation row
 * (and its lines), then the stock counters (rows locked in product-id order), announcing what moved.
 * A second insert of one order's reservation fails on the primary key: the handler is retried and
 * then finds the reservation the first one wrote.
 */
export async function applyDecision(
  tx: PoolClient,
  messaging: Pick<Messaging, 'publish'>,
  decision: Pick<Decision<unknown>, 'write' | 'changes'>,
  now: Date,
): Promise<void> {
  const { write } = decision;
  if (write) await saveReservation(tx, write.kind, write.reservation, now);
  if (decision.changes.length > 0) {
    await lockStock(
      tx,
      decision.changes.map((change) => change.productId),
    );
    await applyStockChanges(tx, messaging, decision.changes, now);
  }
}

async function saveReservation(
  tx: PoolClient,
  kind: 'insert' | 'update',
  reservation: Reservation,
  now: Date,
): Promise<void> {
  if (kind === 'update') {
    await tx.query('UPDATE reservations SET state = $2, updated_at = $3 WHERE order_id = $1', [
      reservation.orderId,
      reservation.state,
      now,
    ]);
    return;
  }
  await tx.query(
    `INSERT INTO reservations (order_id, state, expires_at, reason, shortages, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)`,
    [
      reservation.orderId,
      reservation.state,
      reservation.expiresAt,
      reservation.reason,
      JSON.stringify(reservation.shortages),
      now,
    ],
  );
  if (reservation.lines.length === 0) return;
  await tx.query(
    `INSERT INTO reservation_lines (order_id, product_id, quantity)
     SELECT $1, product_id, quantity FROM unnest($2::uuid[], $3::int[]) AS l(product_id, quantity)`,
    [
      reservation.orderId,
      reservation.lines.map((line) => line.productId),
      reservation.lines.map((line) => line.quantity),
    ],
  );
}

/** The order's reservation, or the newest ones, for administrators. */
export async function findReservations(db: Queryable, orderId: string | undefined): Promise<ReservationView[]> {
  const { rows } = await db.query<ReservationRow>(
    `SELECT ${RESERVATION_COLUMNS}, ${LINES_OF_R} FROM reservations r
     WHERE $1::uuid IS NULL OR r.order_id = $1::uuid
     ORDER BY r.created_at DESC, r.order_id
     LIMIT 100`,
    [orderId ?? null],
  );
  return rows.map((row) => {
    const reservation = toReservation(row);
    return {
      orderId: reservation.orderId,
      state: reservation.state,
      lines: reservation.lines,
      expiresAt: reservation.expiresAt?.toISOString() ?? null,
      reason: reservation.reason,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  });
}

/**
 * The consistency view, read in one repeatable-read snapshot so that counters and reservations agree
 * with each other even while orders go on: every reservation, and the counters of every product that a
 * reservation names or that has units reserved.
 */
export async function readConsistency(db: PoolClient): Promise<StockConsistency> {
  const products = await db.query<{ product_id: string; on_hand: number; reserved: number; committed: number }>(
    `SELECT s.product_id, s.on_hand, s.reserved,
            coalesce(sum(l.quantity) FILTER (WHERE r.state = 'committed'), 0)::int AS committed
     FROM stock s
     LEFT JOIN reservation_lines l ON l.product_id = s.product_id
     LEFT JOIN reservations r ON r.order_id = l.order_id
     WHERE s.reserved > 0 OR l.product_id IS NOT NULL
     GROUP BY s.product_id
     ORDER BY s.product_id`,
  );
  const reservations = await db.query<ReservationRow>(
    `SELECT ${RESERVATION_COLUMNS}, ${LINES_OF_R} FROM reservations r ORDER BY r.created_at, r.order_id`,
  );
  return {
    products: products.rows.map((row) => ({
      productId: row.product_id,
      onHand: row.on_hand,
      reserved: row.reserved,
      committed: row.committed,
    })),
    reservations: reservations.rows.map((row) => ({ orderId: row.order_id, state: row.state, lines: row.lines })),
  };
}

function toReservation(row: ReservationRow): Reservation {
  return {
    orderId: row.order_id,
    state: row.state,
    lines: row.lines,
    expiresAt: row.expires_at,
    reason: row.reason,
    shortages: row.shortages,
  };
}
