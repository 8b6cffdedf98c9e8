import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerVerified, VerifyCustomer } from '@talad/contracts-identity';
import {
  CommitReservation,
  ReleaseStock,
  ReservationCommitted,
  ReserveStock,
  ReturnStock,
  StockReleased,
  StockReserved,
  StockReturned,
} from '@talad/contracts-inventory';
import type { OrderView } from '@talad/contracts-ordering';
import {
  AuthorizePayment,
  CapturePayment,
  PaymentAuthorized,
  PaymentCaptured,
  PaymentRefunded,
  PaymentVoided,
  RefundPayment,
  VoidPayment,
} from '@talad/contracts-payment';
import {
  CancelShipment,
  ShipmentCancellationRefused,
  ShipmentCancelled,
  ShipmentStatusChanged,
  type ShipmentStatus,
} from '@talad/contracts-shipping';
import { newId } from '@talad/core';
import { createMessaging, migrateMessaging, type Messaging, type Transport } from '@talad/messaging';
import { eventually, observeTopic, type ObservedMessage } from '@talad/messaging/testing';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createLogger } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { KNOWN_CARD_TOKEN, PRODUCTS, startOrderingHarness, type OrderingHarness } from '../testing/ordering-harness.ts';
import { SAMPLE_ADDRESS } from '@talad/contracts-common/testing';

/**
 * Cancelling orders through ordering's HTTP API, with the real checkout and cancellation sagas on a real
 * database and the PostgreSQL message log, against toy identity, inventory, payment and shipping
 * participants (one service with small tables) that answer as the real ones do.
 */
const TRACKING = 'TH0000000000018';
const logger = createLogger({ service: 'participants', level: 'silent' });

let harness: OrderingHarness;
let participantsDb: TestDatabase;
let participantTransport: Transport;
let participants: Messaging;
/** Customers whose card authorization payment takes but does not answer (yet): checkout waits there. */
const slowPayers = new Set<string>();
let published: ObservedMessage[];

function subscribeParticipants(messaging: Messaging): void {
  messaging.subscribe({
    messages: [VerifyCustomer],
    handler: async (message, tx) => {
      await messaging.reply(tx, message, CustomerVerified, { customerId: message.data.customerId });
    },
  });
  messaging.subscribe({
    messages: [ReserveStock, ReleaseStock, CommitReservation, ReturnStock],
    handler: async (message, tx) => {
      const { orderId } = message.data;
      // Stock moves as inventory's do: committed units leave on hand, returned ones come back.
      const move = async (from: string, to: string, sign: number) => {
        const moved = await tx.query<{ lines: Array<{ productId: string; quantity: number }> }>(
          'UPDATE reservations SET state = $3 WHERE order_id = $1 AND state = $2 RETURNING lines',
          [orderId, from, to],
        );
        for (const line of moved.rows[0]?.lines ?? []) {
          await tx.query('UPDATE stock SET on_hand = on_hand + $2 WHERE product_id = $1', [
            line.productId,
            sign * line.quantity,
          ]);
        }
      };
      switch (message.type) {
        case 'inventory.ReserveStock.v1':
          await tx.query(`INSERT INTO reservations VALUES ($1, $2::jsonb, 'held') ON CONFLICT DO NOTHING`, [
            orderId,
            JSON.stringify(message.data.lines),
          ]);
          await messaging.reply(tx, message, StockReserved, { orderId });
          return;
        case 'inventory.ReleaseStock.v1':
          await move('held', 'released', 0);
          await messaging.reply(tx, message, StockReleased, { orderId });
          return;
        case 'inventory.CommitReservation.v1':
          await move('held', 'committed', -1);
          await messaging.reply(tx, message, ReservationCommitted, { orderId });
          return;
        case 'inventory.ReturnStock.v1':
          await move('committed', 'returned', 1);
          await messaging.reply(tx, message, StockReturned, { orderId });
          return;
      }
    },
  });
  messaging.subscribe({
    messages: [AuthorizePayment, VoidPayment, CapturePayment, RefundPayment],
    handler: async (message, tx) => {
      const { orderId } = message.data;
      const paymentId = newId();
      switch (message.type) {
        case 'payment.AuthorizePayment.v1': {
          const { amount } = message.data;
          await tx.query(`INSERT INTO payments VALUES ($1, $2, $3, 'authorized') ON CONFLICT DO NOTHING`, [
            orderId,
            paymentId,
            amount.amount,
          ]);
          if (slowPayers.has(message.data.customerId)) return;
          await messaging.reply(tx, message, PaymentAuthorized, {
            orderId,
            paymentId,
            amount,
            brand: 'visa',
            last4: '4242',
          });
          return;
        }
        case 'payment.VoidPayment.v1':
          await tx.query(`UPDATE payments SET state = 'voided' WHERE order_id = $1 AND state = 'authorized'`, [
            orderId,
          ]);
          await messaging.reply(tx, message, PaymentVoided, { orderId });
          return;
        case 'payment.CapturePayment.v1': {
          const { rows } = await tx.query<{ payment_id: string; amount: number }>(
            `UPDATE payments SET state = 'captured' WHERE order_id = $1 RETURNING payment_id, amount`,
            [orderId],
          );
          const row = rows[0];
          if (!row) throw new Error(`nothing to capture for ${orderId}`);
          const amount = { amount: row.amount, currency: 'THB' as const };
          await messaging.reply(tx, message, PaymentCaptured, { orderId, paymentId: row.payment_id, amount });
          return;
        }
        case 'payment.RefundPayment.v1': {
          const { rows } = await tx.query<{ payment_id: string; amount: number }>(
            `UPDATE payments SET state = 'refunded' WHERE order_id = $1 AND state IN ('captured', 'refunded')
             RETURNING payment_id, amount`,
            [orderId],
          );
          const row = rows[0];
          const amount = { amount: row?.amount ?? 0, currency: 'THB' as const };
          await messaging.reply(tx, message, PaymentRefunded, { orderId, paymentId: row?.payment_id, amount });
          return;
        }
      }
    },
  });
  messaging.subscribe({
    messages: [CancelShipment],
    handler: async (message, tx) => {
      const { orderId } = message.data;
      const { rows } = await tx.query<{ status: ShipmentStatus }>(
        'SELECT status FROM shipments WHERE order_id = $1 FOR UPDATE',
        [orderId],
      );
      const status = rows[0]?.status;
      if (status && status !== 'created' && status !== 'cancelled') {
        await messaging.reply(tx, message, ShipmentCancellationRefused, { orderId, status });
        return;
      }
      await tx.query(
        `INSERT INTO shipments VALUES ($1, 'cancelled') ON CONFLICT (order_id) DO UPDATE SET status = 'cancelled'`,
        [orderId],
      );
      await messaging.reply(tx, message, ShipmentCancelled, { orderId });
    },
  });
}

beforeAll(async () => {
  harness = await startOrderingHarness('ordering_cancellation');
  participantsDb = await createTestDatabase({ prefix: 'ordering_cancellation_participants' });
  await migrateMessaging(participantsDb.pool);
  await participantsDb.pool.query(`
    CREATE TABLE stock (product_id uuid PRIMARY KEY, on_hand integer NOT NULL);
    CREATE TABLE reservations (order_id uuid PRIMARY KEY, lines jsonb NOT NULL, state text NOT NULL);
    CREATE TABLE payments (order_id uuid PRIMARY KEY, payment_id uuid NOT NULL, amount integer NOT NULL, state text NOT NULL);
    CREATE TABLE shipments (order_id uuid PRIMARY KEY, status text NOT NULL);
    INSERT INTO stock VALUES ('${PRODUCTS.runner.id}', 100), ('${PRODUCTS.socks.id}', 100);`);
  participantTransport = createPostgresTransport({
    url: harness.messageLog.url,
    rebalanceIntervalMs: 200,
    pollIntervalMs: 100,
  });
  participants = createMessaging({
    service: 'participants',
    pool: participantsDb.pool,
    transport: participantTransport,
    logger,
  });
  subscribeParticipants(participants);
  await participants.start();
  published = (await observeTopic(harness.transport, 'ordering.events')).messages;
}, 60_000);

afterAll(async () => {
  await participants.stop();
  await participantTransport.close();
  await harness.close();
  await participantsDb.drop();
});

const address = SAMPLE_ADDRESS;

async function place(customerId: string): Promise<string> {
  const response = await harness.app.inject({
    method: 'POST',
    url: '/orders',
    payload: {
      lines: [{ productId: PRODUCTS.runner.id, size: '42', quantity: 2 }],
      shippingAddress: address,
      shippingOption: 'standard',
      paymentMethod: { type: 'card', cardToken: KNOWN_CARD_TOKEN },
    },
    headers: { ...(await harness.bearer(customerId)), 'idempotency-key': newId() },
  });
  expect(response.statusCode).toBe(202);
  return response.json<{ orderId: string }>().orderId;
}

async function view(customerId: string, orderId: string): Promise<OrderView> {
  const response = await harness.app.inject({ url: `/orders/${orderId}`, headers: await harness.bearer(customerId) });
  expect(response.statusCode).toBe(200);
  return response.json<OrderView>();
}

function viewUntil(customerId: string, orderId: string, accept: (order: OrderView) => boolean, what: string) {
  return eventually(() => view(customerId, orderId), accept, { what: `order ${orderId}: ${what}` });
}

async function cancel(customerId: string, orderId: string) {
  return harness.app.inject({
    method: 'POST',
    url: `/orders/${orderId}/cancel`,
    headers: await harness.bearer(customerId),
  });
}

async function approvedOrder(customerId: string): Promise<string> {
  const orderId = await place(customerId);
  await viewUntil(customerId, orderId, (order) => order.status === 'approved', 'approved by checkout');
  return orderId;
}

async function participantState(table: 'reservations' | 'payments' | 'shipments', orderId: string) {
  const column = table === 'shipments' ? 'status' : 'state';
  const { rows } = await participantsDb.pool.query<{ state: string }>(
    `SELECT ${column} AS state FROM ${table} WHERE order_id = $1`,
    [orderId],
  );
  return rows[0]?.state;
}

async function runnerOnHand(): Promise<number> {
  const { rows } = await participantsDb.pool.query<{ on_hand: number }>(
    'SELECT on_hand FROM stock WHERE product_id = $1',
    [PRODUCTS.runner.id],
  );
  return rows[0]?.on_hand ?? -1;
}

/** What toy shipping announces when the parcel moves; `silently` leaves ordering unaware (a race). */
async function moveParcel(
  orderId: string,
  customerId: string,
  status: ShipmentStatus,
  options: { silently?: boolean } = {},
): Promise<string | undefined> {
  return participants.transaction(async (tx) => {
    await tx.query(
      'INSERT INTO shipments VALUES ($1, $2) ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status',
      [orderId, status],
    );
    if (options.silently) return undefined;
    return participants.publish(
      tx,
      ShipmentStatusChanged,
      {
        shipmentId: newId(),
        orderId,
        customerId,
        trackingNumber: TRACKING,
        courier: 'Toy Express',
        option: 'standard',
        status,
        changedAt: new Date().toISOString(),
      },
      { key: orderId },
    );
  });
}

async function streamEventTypes(orderId: string): Promise<string[]> {
  const { rows } = await harness.db.pool.query<{ type: string }>(
    'SELECT type FROM events WHERE stream_id = $1 ORDER BY version',
    [`order-${orderId}`],
  );
  return rows.map((row) => row.type);
}

const publishedOf = (orderId: string, type: string) =>
  published.filter((event) => event.subject === orderId && event.type === type);

describe('cancelling before approval', () => {
  it('voids the authorization and releases the stock; the order ends cancelled', async () => {
    const customer = newId();
    slowPayers.add(customer);
    const orderId = await place(customer);
    // Checkout waits for payment's answer, with the stock reserved and the card authorized.
    await eventually(
      () => participantState('payments', orderId),
      (state) => state === 'authorized',
      { what: 'the authorization' },
    );
    const response = await cancel(customer, orderId);
    expect(response.statusCode).toBe(202);

    const order = await viewUntil(customer, orderId, (found) => found.status === 'cancelled', 'cancelled');
    expect(order.cancellation).toMatchObject({ state: 'completed', requestedBy: 'customer', reason: null });
    expect(await participantState('payments', orderId)).toBe('voided');
    expect(await participantState('reservations', orderId)).toBe('released');
    await eventually(
      () => publishedOf(orderId, 'ordering.OrderCancelled.v1').length,
      (count) => count === 1,
      { what: 'OrderCancelled' },
    );
  });
});

describe('cancelling after approval, before dispatch', () => {
  it('stops the shipment, refunds the captured payment and returns the stock; the order ends cancelled', async () => {
    const customer = newId();
    const before = await runnerOnHand();
    const orderId = await approvedOrder(customer);
    expect(await participantState('payments', orderId)).toBe('captured');
    expect(await runnerOnHand()).toBe(before - 2);
    await moveParcel(orderId, customer, 'created');

    const response = await cancel(customer, orderId);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ orderId, status: 'approved' });
    // Asked again while it runs: the same answer, and still one cancellation.
    expect((await cancel(customer, orderId)).statusCode).toBe(202);

    const order = await viewUntil(customer, orderId, (found) => found.status === 'cancelled', 'cancelled');
    expect(order.cancellation).toMatchObject({ state: 'completed', requestedBy: 'customer' });
    expect(await participantState('shipments', orderId)).toBe('cancelled');
    expect(await participantState('payments', orderId)).toBe('refunded');
    expect(await participantState('reservations', orderId)).toBe('returned');
    expect(await runnerOnHand()).toBe(before);

    const sagas = await harness.db.pool.query<{ state: string; steps: Array<{ state: string }> }>(
      `SELECT state, steps FROM saga_instances WHERE definition = 'cancellation' AND data->>'orderId' = $1`,
      [orderId],
    );
    expect(sagas.rows).toHaveLength(1);
    expect(sagas.rows[0]?.state).toBe('completed');
    expect(await streamEventTypes(orderId)).toEqual([
      'OrderPlaced',
      'PaymentAuthorized',
      'OrderApproved',
      'CancellationStarted',
      'OrderCancelled',
    ]);
    await eventually(
      () => publishedOf(orderId, 'ordering.OrderCancelled.v1'),
      (events) => events.length === 1,
      { what: 'OrderCancelled' },
    );
    expect(publishedOf(orderId, 'ordering.OrderCancelled.v1')[0]?.data).toMatchObject({
      customerId: customer,
      cancelledBy: 'customer',
    });
    // Once cancelled, asking again answers the same and starts nothing.
    expect((await cancel(customer, orderId)).json()).toEqual({ orderId, status: 'cancelled' });
  });
});

describe('cancelling after dispatch', () => {
  it('refuses at once (409) when ordering already heard the parcel left, and changes nothing', async () => {
    const customer = newId();
    const orderId = await approvedOrder(customer);
    await moveParcel(orderId, customer, 'dispatched');
    await viewUntil(customer, orderId, (order) => order.fulfilment?.status === 'shipped', 'shipped');

    const response = await cancel(customer, orderId);
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'ORDERING_ORDER_ALREADY_DISPATCHED' });
    expect(response.json().detail).toContain(TRACKING);
    expect((await view(customer, orderId)).cancellation).toBeNull();
    expect(await participantState('payments', orderId)).toBe('captured');
    const sagas = await harness.db.pool.query(
      `SELECT 1 FROM saga_instances WHERE definition = 'cancellation' AND data->>'orderId' = $1`,
      [orderId],
    );
    expect(sagas.rowCount).toBe(0);
  });

  it('is refused by shipping when the parcel left before ordering heard: the order stays approved and shows why', async () => {
    const customer = newId();
    const orderId = await approvedOrder(customer);
    await moveParcel(orderId, customer, 'dispatched', { silently: true });

    expect((await cancel(customer, orderId)).statusCode).toBe(202);
    const order = await viewUntil(
      customer,
      orderId,
      (found) => found.cancellation?.state === 'refused',
      'the cancellation refused',
    );
    expect(order.status).toBe('approved');
    expect(order.cancellation).toMatchObject({
      state: 'refused',
      requestedBy: 'customer',
      reason: 'SHIPMENT_DISPATCHED',
    });
    expect(await participantState('payments', orderId)).toBe('captured');
    expect(await participantState('reservations', orderId)).toBe('committed');
    expect(publishedOf(orderId, 'ordering.OrderCancelled.v1')).toHaveLength(0);

    // Then ordering hears of the dispatch: a new request is refused at once.
    await moveParcel(orderId, customer, 'dispatched');
    await viewUntil(customer, orderId, (found) => found.fulfilment?.status === 'shipped', 'shipped');
    expect((await cancel(customer, orderId)).json()).toMatchObject({ code: 'ORDERING_ORDER_ALREADY_DISPATCHED' });
  });
});

describe('following the parcel', () => {
  it('records shipped and delivered from shipping’s events once each, however often they come', async () => {
    const customer = newId();
    const orderId = await approvedOrder(customer);
    const messageIds: string[] = [];
    for (const status of ['created', 'dispatched', 'dispatched', 'in_transit', 'delivered', 'delivered'] as const) {
      messageIds.push((await moveParcel(orderId, customer, status)) ?? '');
    }
    const order = await viewUntil(customer, orderId, (found) => found.fulfilment?.status === 'delivered', 'delivered');
    expect(order.status).toBe('approved');
    expect(order.fulfilment).toMatchObject({ status: 'delivered', trackingNumber: TRACKING });
    expect(order.fulfilment?.deliveredAt).not.toBeNull();

    await eventually(
      () => publishedOf(orderId, 'ordering.OrderDelivered.v1'),
      (events) => events.length >= 1,
      { what: 'OrderDelivered' },
    );
    // Once ordering handled every one of them, nothing more was recorded.
    await eventually(
      async () =>
        (await harness.db.pool.query('SELECT 1 FROM inbox WHERE message_id = ANY($1)', [messageIds])).rowCount,
      (count) => count === messageIds.length,
      { what: 'every shipping event handled' },
    );
    expect(
      (await streamEventTypes(orderId)).filter((type) => type === 'OrderShipped' || type === 'OrderDelivered'),
    ).toEqual(['OrderShipped', 'OrderDelivered']);
    expect(publishedOf(orderId, 'ordering.OrderShipped.v1')).toHaveLength(1);
    expect(publishedOf(orderId, 'ordering.OrderShipped.v1')[0]?.data).toMatchObject({
      customerId: customer,
      trackingNumber: TRACKING,
    });
    expect(publishedOf(orderId, 'ordering.OrderDelivered.v1')).toHaveLength(1);
  });
});
