import type { ShippingAddress, ShippingOption } from '@talad/contracts-common';
import type { ShipmentStatus, ShipmentView, TrackingView } from '@talad/contracts-shipping';
import type { Queryable } from '@talad/pg';

/** A shipment's row, as the handlers decide on it. */
export interface Shipment {
  id: string;
  orderId: string;
  customerId: string;
  trackingNumber: string;
  courier: string;
  option: ShippingOption;
  status: ShipmentStatus;
}

interface ShipmentRow {
  id: string;
  order_id: string;
  customer_id: string;
  tracking_number: string;
  courier: string;
  option: ShippingOption;
  status: ShipmentStatus;
  address: ShippingAddress;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, order_id, customer_id, tracking_number, courier, option, status, address, created_at, updated_at';

export interface NewShipment extends Omit<Shipment, 'status'> {
  address: ShippingAddress;
}

/**
 * Inserts the order's shipment, with a pickup to book at once, unless the order has one already.
 * Returns whether it was inserted.
 */
export async function insertShipment(tx: Queryable, shipment: NewShipment, at: Date): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO shipments (id, order_id, customer_id, tracking_number, courier, option, address, status,
                            pickup_state, pickup_due_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'created', 'to_book', $8, $8, $8)
     ON CONFLICT (order_id) DO NOTHING`,
    [
      shipment.id,
      shipment.orderId,
      shipment.customerId,
      shipment.trackingNumber,
      shipment.courier,
      shipment.option,
      JSON.stringify(shipment.address),
      at,
    ],
  );
  return rowCount === 1;
}

/** The order's shipment, locked until the transaction ends, so a cancellation and a courier update take turns. */
export async function lockShipmentOfOrder(tx: Queryable, orderId: string): Promise<Shipment | undefined> {
  const { rows } = await tx.query<ShipmentRow>(`SELECT ${COLUMNS} FROM shipments WHERE order_id = $1 FOR UPDATE`, [
    orderId,
  ]);
  return rows[0] && toShipment(rows[0]);
}

export async function lockShipment(tx: Queryable, id: string): Promise<Shipment | undefined> {
  const { rows } = await tx.query<ShipmentRow>(`SELECT ${COLUMNS} FROM shipments WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] && toShipment(rows[0]);
}

/** Records a new status and its timeline entry. */
export async function recordStatus(tx: Queryable, id: string, status: ShipmentStatus, at: Date): Promise<void> {
  await tx.query('UPDATE shipments SET status = $2, updated_at = $3 WHERE id = $1', [id, status, at]);
  await tx.query('INSERT INTO shipment_timeline (shipment_id, status, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    id,
    status,
    at,
  ]);
}

/** The courier must call off whatever pickup it may have: booked, or on its way to being booked. */
export async function callOffPickup(tx: Queryable, id: string, at: Date): Promise<void> {
  await tx.query(
    `UPDATE shipments
        SET pickup_state = 'to_cancel', pickup_attempts = 0, pickup_error = NULL,
            -- A booking in flight keeps its lease; the desk cancels once it is back.
            pickup_due_at = CASE WHEN pickup_state = 'booked' THEN $2 ELSE pickup_due_at END
      WHERE id = $1 AND pickup_state IN ('to_book', 'booked')`,
    [id, at],
  );
}

/** Remembers that an order was cancelled before its shipment existed. */
export async function recordCancelledOrder(tx: Queryable, orderId: string, at: Date): Promise<void> {
  await tx.query('INSERT INTO cancelled_orders (order_id, cancelled_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    orderId,
    at,
  ]);
}

export async function isOrderCancelled(tx: Queryable, orderId: string): Promise<boolean> {
  const { rowCount } = await tx.query('SELECT 1 FROM cancelled_orders WHERE order_id = $1', [orderId]);
  return rowCount === 1;
}

/** The order's shipment with its timeline, for its customer; undefined when there is none. */
export async function readShipmentOfOrder(db: Queryable, orderId: string): Promise<ShipmentView | undefined> {
  const { rows } = await db.query<ShipmentRow>(`SELECT ${COLUMNS} FROM shipments WHERE order_id = $1`, [orderId]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    ...toShipment(row),
    shippingAddress: row.address,
    timeline: await readTimeline(db, row.id),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** What anyone holding the tracking number may see: the courier's progress, nothing personal. */
export async function readTracking(db: Queryable, trackingNumber: string): Promise<TrackingView | undefined> {
  const { rows } = await db.query<ShipmentRow>(`SELECT ${COLUMNS} FROM shipments WHERE tracking_number = $1`, [
    trackingNumber,
  ]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    trackingNumber: row.tracking_number,
    courier: row.courier,
    option: row.option,
    status: row.status,
    timeline: await readTimeline(db, row.id),
  };
}

async function readTimeline(db: Queryable, shipmentId: string): Promise<ShipmentView['timeline']> {
  const { rows } = await db.query<{ status: ShipmentStatus; at: Date }>(
    'SELECT status, at FROM shipment_timeline WHERE shipment_id = $1 ORDER BY position',
    [shipmentId],
  );
  return rows.map((row) => ({ status: row.status, at: row.at.toISOString() }));
}

function toShipment(row: ShipmentRow): Shipment {
  return {
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    trackingNumber: row.tracking_number,
    courier: row.courier,
    option: row.option,
    status: row.status,
  };
}
