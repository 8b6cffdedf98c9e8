import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@talad/core';
import { CustomerVerificationFailed, CustomerVerified, VerifyCustomer } from '@talad/contracts-identity';
import {
  CommitReservation,
  ReleaseStock,
  ReservationCommitted,
  ReserveStock,
  StockReleased,
  StockReservationFailed,
  StockReserved,
} from '@talad/contracts-inventory';
import {
  AuthorizePayment,
  CapturePayment,
  PaymentAuthorized,
  PaymentCaptured,
  PaymentCompleted,
  PaymentDeclined,
  PaymentExpired,
  PaymentPending,
  PaymentVoided,
  VoidPayment,
  type PaySlip,
} from '@talad/contracts-payment';
import { createMessaging, migrateMessaging, type Messaging, type Transport } from '@talad/messaging';
import { eventually } from '@talad/messaging/testing';
import { createPostgresTransport } from '@talad/messaging-postgres';
import type { PoolClient } from '@talad/pg';
import { migrateSaga } from '@talad/saga';
import { createLogger } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import type { CheckoutData, OrderOutcomes } from './checkout-saga.ts';
import { createCheckout, type Checkout } from './create-checkout.ts';

/**
 * The checkout saga against toy identity, inventory and payment participants (one service with a
 * stock and a payments table), over the PostgreSQL message log. The order's outcome is recorded by toy
 * `OrderOutcomes` in ordering's database, in the hook's transaction.
 */
const logger = createLogger({ service: 'ordering', level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
const DISABLED_CUSTOMER = '0190f5c8-0000-7000-8000-00000000dead';
const DECLINED_CARD = 'tok_declined';
const RUNNER = '0190f5c8-0000-7000-8000-0000000000a1';
const LAST_UNIT = '0190f5c8-0000-7000-8000-0000000000a2';

let log: TestDatabase;
let ordering: TestDatabase;
let participants: TestDatabase;
const transports: Transport[] = [];
let orderingMessaging: Messaging;
let participantMessaging: Messaging;
let checkout: Checkout;

const toyOrders: OrderOutcomes = {
  approveOrder: (tx, orderId) => recordOutcome(tx, orderId, 'approved', null),
  closeCompensatedOrder: (tx, orderId, reason) => recordOutcome(tx, orderId, 'rejected', reason),
  cancelOrder: (tx, orderId) => recordOutcome(tx, orderId, 'cancelled', null),
  recordPaymentAuthorized: async (tx, orderId, card) => {
    await tx.query('INSERT INTO order_cards VALUES ($1, $2, $3)', [orderId, card.brand, card.last4]);
  },
  recordPaySlip: async (tx, orderId, slip) => {
    await tx.query('INSERT INTO order_slips VALUES ($1, $2)', [orderId, slip.paymentCode]);
  },
};

/** A slip as payment would issue it (the barcode does not matter to checkout). */
function slipFor(amount: number): PaySlip {
  return {
    invoiceNumber: 'INV-2026-000001',
    paymentCode: '482019374650121',
    barcodeSvg: '<svg xmlns="http://www.w3.org/2000/svg"/>',
    amount: { amount, currency: 'THB' },
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
  };
}

async function recordOutcome(tx: PoolClient, orderId: string, outcome: string, reason: string | null): Promise<void> {
  await tx.query('INSERT INTO order_outcomes VALUES ($1, $2, $3)', [orderId, outcome, reason]);
}

/** The participants' side: each command answered in the transaction that changes its toy state. */
function subscribeParticipants(messaging: Messaging): void {
  messaging.subscribe({
    messages: [VerifyCustomer],
    handler: async (message, tx) => {
      const { customerId } = message.data;
      if (customerId === DISABLED_CUSTOMER) {
        await messaging.reply(tx, message, CustomerVerificationFailed, { customerId, reason: 'CUSTOMER_DISABLED' });
      } else {
        await messaging.reply(tx, message, CustomerVerified, { customerId });
      }
    },
  });
  messaging.subscribe({
    messages: [ReserveStock, ReleaseStock, CommitReservation],
    handler: async (message, tx) => {
      const { orderId } = message.data;
      switch (message.type) {
        case 'inventory.ReserveStock.v1': {
          const { lines } = message.data;
          const stock = await tx.query<{ product_id: string; available: number }>(
            'SELECT product_id, available FROM stock WHERE product_id = ANY($1) ORDER BY product_id FOR UPDATE',
            [lines.map((line) => line.productId)],
          );
          const shortages = lines.flatMap((line) => {
            const available = stock.rows.find((row) => row.product_id === line.productId)?.available ?? 0;
            return available < line.quantity
              ? [{ productId: line.productId, requested: line.quantity, available }]
              : [];
          });
          if (shortages.length > 0) {
            await messaging.reply(tx, message, StockReservationFailed, { orderId, reason: 'OUT_OF_STOCK', shortages });
            return;
          }
          for (const line of lines) {
            await tx.query('UPDATE stock SET available = available - $2 WHERE product_id = $1', [
              line.productId,
              line.quantity,
            ]);
          }
          await tx.query(`INSERT INTO reservations VALUES ($1, $2::jsonb, 'held')`, [orderId, JSON.stringify(lines)]);
          await messaging.reply(tx, message, StockReserved, { orderId });
          return;
        }
        case 'inventory.ReleaseStock.v1': {
          const held = await tx.query<{ lines: Array<{ productId: string; quantity: number }> }>(
            `UPDATE reservations SET state = 'released' WHERE order_id = $1 AND state = 'held' RETURNING lines`,
            [orderId],
          );
          for (const line of held.rows[0]?.lines ?? []) {
            await tx.query('UPDATE stock SET available = available + $2 WHERE product_id = $1', [
              line.productId,
              line.quantity,
            ]);
          }
          await messaging.reply(tx, message, StockReleased, { orderId });
          return;
        }
        case 'inventory.CommitReservation.v1': {
          await tx.query(`UPDATE reservations SET state = 'committed' WHERE order_id = $1`, [orderId]);
          await messaging.reply(tx, message, ReservationCommitted, { orderId });
          return;
        }
      }
    },
  });
  messaging.subscribe({
    messages: [AuthorizePayment, VoidPayment, CapturePayment],
    handler: async (message, tx) => {
      const { orderId } = message.data;
      switch (message.type) {
        case 'payment.AuthorizePayment.v1': {
          const paymentId = randomUUID();
          const { method } = message.data;
          if (method.type === 'counter') {
            // Pay at counter: a slip now, the money (or the expiry) announced later on payment.events.
            await tx.query(`INSERT INTO payments VALUES ($1, $2, $3, 'pending')`, [
              orderId,
              paymentId,
              message.data.amount.amount,
            ]);
            await messaging.reply(tx, message, PaymentPending, {
              orderId,
              paymentId,
              slip: slipFor(message.data.amount.amount),
            });
            return;
          }
          if (method.cardToken === DECLINED_CARD) {
            await messaging.reply(tx, message, PaymentDeclined, { orderId, paymentId, reason: 'DECLINED' });
            return;
          }
          await tx.query(`INSERT INTO payments VALUES ($1, $2, $3, 'authorized')`, [
            orderId,
            paymentId,
            message.data.amount.amount,
          ]);
          await messaging.reply(tx, message, PaymentAuthorized, {
            orderId,
            paymentId,
            amount: message.data.amount,
            brand: 'visa',
            last4: '4242',
          });
          return;
        }
        case 'payment.VoidPayment.v1': {
          const voided = await tx.query<{ payment_id: string }>(
            `UPDATE payments SET state = 'voided' WHERE order_id = $1 RETURNING payment_id`,
            [orderId],
          );
          const paymentId = voided.rows[0]?.payment_id;
          await messaging.reply(tx, message, PaymentVoided, paymentId ? { orderId, paymentId } : { orderId });
          return;
        }
        case 'payment.CapturePayment.v1': {
          // A counter payment was paid at the counter: capture changes nothing.
          const captured = await tx.query<{ payment_id: string; amount: number }>(
            `UPDATE payments SET state = CASE WHEN state = 'completed' THEN state ELSE 'captured' END
              WHERE order_id = $1 RETURNING payment_id, amount`,
            [orderId],
          );
          const row = captured.rows[0];
          if (!row) throw new Error(`no payment to capture for ${orderId}`);
          await messaging.reply(tx, message, PaymentCaptured, {
            orderId,
            paymentId: row.payment_id,
            amount: { amount: row.amount, currency: 'THB' },
          });
          return;
        }
      }
    },
  });
}

function transport(): Transport {
  const created = createPostgresTransport({ url: log.url, rebalanceIntervalMs: 200, pollIntervalMs: 100 });
  transports.push(created);
  return created;
}

beforeAll(async () => {
  [log, ordering, participants] = await Promise.all([
    createTestDatabase({ prefix: 'checkout_log' }),
    createTestDatabase({ prefix: 'checkout_ordering' }),
    createTestDatabase({ prefix: 'checkout_participants' }),
  ]);
  await migrateMessaging(ordering.pool);
  await migrateSaga(ordering.pool);
  await ordering.pool.query(`CREATE TABLE order_outcomes (order_id text NOT NULL, outcome text NOT NULL, reason text);
    CREATE TABLE order_cards (order_id text PRIMARY KEY, brand text NOT NULL, last4 text NOT NULL);
    CREATE TABLE order_slips (order_id text PRIMARY KEY, payment_code text NOT NULL)`);
  await migrateMessaging(participants.pool);
  await participants.pool
    .query(`CREATE TABLE stock (product_id text PRIMARY KEY, available integer NOT NULL CHECK (available >= 0));
    CREATE TABLE reservations (order_id text PRIMARY KEY, lines jsonb NOT NULL, state text NOT NULL);
    CREATE TABLE payments (order_id text PRIMARY KEY, payment_id text NOT NULL, amount integer NOT NULL, state text NOT NULL);
    INSERT INTO stock VALUES ('${RUNNER}', 100), ('${LAST_UNIT}', 1)`);

  participantMessaging = createMessaging({
    service: 'participants',
    pool: participants.pool,
    transport: transport(),
    logger,
  });
  subscribeParticipants(participantMessaging);
  await participantMessaging.start();

  orderingMessaging = createMessaging({ service: 'ordering', pool: ordering.pool, transport: transport(), logger });
  checkout = createCheckout({
    pool: ordering.pool,
    messaging: orderingMessaging,
    orders: toyOrders,
    clock: systemClock,
    logger,
  });
  checkout.subscribe();
  await orderingMessaging.start();
  checkout.run();
});

afterAll(async () => {
  await checkout.stop();
  await orderingMessaging.stop();
  await participantMessaging.stop();
  await Promise.all(transports.map((each) => each.close()));
  await Promise.all([log, ordering, participants].map((db) => db.drop()));
});

function order(overrides: Partial<CheckoutData> = {}): CheckoutData {
  return {
    orderId: randomUUID(),
    customerId: randomUUID(),
    lines: [{ productId: RUNNER, quantity: 2 }],
    total: { amount: 258_000, currency: 'THB' },
    paymentMethod: { type: 'card', cardToken: 'tok_visa_4242' },
    ...overrides,
  };
}

async function place(data: CheckoutData): Promise<void> {
  await orderingMessaging.transaction((tx) => checkout.start(tx, 'checkout', data.orderId, data));
}

async function ended(orderId: string) {
  const saga = await eventually(
    () => checkout.get(orderId),
    (found) => found?.state === 'completed' || found?.state === 'compensated',
    { what: `checkout of ${orderId} to end` },
  );
  const outcomes = await ordering.pool.query<{ outcome: string; reason: string | null }>(
    'SELECT outcome, reason FROM order_outcomes WHERE order_id = $1',
    [orderId],
  );
  return { saga, outcomes: outcomes.rows };
}

async function participantRow(
  table: 'reservations' | 'payments',
  orderId: string,
): Promise<{ state: string } | undefined> {
  const { rows } = await participants.pool.query<{ state: string }>(`SELECT state FROM ${table} WHERE order_id = $1`, [
    orderId,
  ]);
  return rows[0];
}

describe('the checkout saga', () => {
  it('approves an order: stock committed, card authorized then captured, card shown on the order', async () => {
    const data = order();
    await place(data);
    const { saga, outcomes } = await ended(data.orderId);
    expect(saga?.state).toBe('completed');
    expect(saga?.steps.every((step) => step.state === 'done')).toBe(true);
    expect(saga?.data).toMatchObject({ payment: { brand: 'visa', last4: '4242' } });
    expect(outcomes).toEqual([{ outcome: 'approved', reason: null }]);
    expect(await participantRow('reservations', data.orderId)).toEqual({ state: 'committed' });
    expect(await participantRow('payments', data.orderId)).toEqual({ state: 'captured' });
    const cards = await ordering.pool.query('SELECT brand, last4 FROM order_cards WHERE order_id = $1', [data.orderId]);
    expect(cards.rows).toEqual([{ brand: 'visa', last4: '4242' }]);
  });

  it('rejects an order whose card is declined, releasing its stock exactly once', async () => {
    const before = await participants.pool.query<{ available: number }>(
      'SELECT available FROM stock WHERE product_id = $1',
      [RUNNER],
    );
    const data = order({ paymentMethod: { type: 'card', cardToken: DECLINED_CARD } });
    await place(data);
    const { saga, outcomes } = await ended(data.orderId);
    expect(saga?.state).toBe('compensated');
    expect(saga?.steps.map((step) => step.state)).toEqual(['done', 'compensated', 'failed', 'skipped', 'skipped']);
    expect(outcomes).toEqual([{ outcome: 'rejected', reason: 'PAYMENT_DECLINED' }]);
    expect(await participantRow('reservations', data.orderId)).toEqual({ state: 'released' });
    const after = await participants.pool.query<{ available: number }>(
      'SELECT available FROM stock WHERE product_id = $1',
      [RUNNER],
    );
    expect(after.rows[0]?.available).toBe(before.rows[0]?.available);
    expect(saga?.history.filter((entry) => entry.messageType === ReleaseStock.type)).toHaveLength(1);
  });

  it('rejects an order of a disabled customer before touching stock', async () => {
    const data = order({ customerId: DISABLED_CUSTOMER });
    await place(data);
    const { saga, outcomes } = await ended(data.orderId);
    expect(saga?.steps.map((step) => step.state)).toEqual(['failed', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(outcomes).toEqual([{ outcome: 'rejected', reason: 'CUSTOMER_DISABLED' }]);
    expect(await participantRow('reservations', data.orderId)).toBeUndefined();
  });

  it('sells the last unit once when three orders race for it; the others are rejected and nothing is charged', async () => {
    const racers = [1, 2, 3].map(() => order({ lines: [{ productId: LAST_UNIT, quantity: 1 }] }));
    await Promise.all(racers.map(place));
    const results = await Promise.all(racers.map((data) => ended(data.orderId)));
    const outcomes = results.flatMap((result) => result.outcomes).sort((a, b) => a.outcome.localeCompare(b.outcome));
    expect(outcomes).toEqual([
      { outcome: 'approved', reason: null },
      { outcome: 'rejected', reason: 'OUT_OF_STOCK' },
      { outcome: 'rejected', reason: 'OUT_OF_STOCK' },
    ]);
    const stock = await participants.pool.query('SELECT available FROM stock WHERE product_id = $1', [LAST_UNIT]);
    expect(stock.rows).toEqual([{ available: 0 }]);
    const payments = await participants.pool.query<{ state: string }>(
      'SELECT state FROM payments WHERE order_id = ANY($1)',
      [racers.map((data) => data.orderId)],
    );
    expect(payments.rows).toEqual([{ state: 'captured' }]);
  });

  describe('paid at a counter', () => {
    /** What payment does when the counter service confirms the slip, or when the slip expires. */
    async function announce(orderId: string, outcome: 'completed' | 'expired'): Promise<void> {
      await participantMessaging.transaction(async (tx) => {
        const { rows } = await tx.query<{ payment_id: string; amount: number }>(
          `UPDATE payments SET state = $2 WHERE order_id = $1 AND state = 'pending' RETURNING payment_id, amount`,
          [orderId, outcome],
        );
        const row = rows[0];
        if (!row) throw new Error(`no pending slip for ${orderId}`);
        const at = new Date().toISOString();
        if (outcome === 'completed') {
          const amount = { amount: row.amount, currency: 'THB' as const };
          await participantMessaging.publish(
            tx,
            PaymentCompleted,
            { orderId, paymentId: row.payment_id, amount, paidAt: at },
            { key: orderId },
          );
        } else {
          await participantMessaging.publish(
            tx,
            PaymentExpired,
            { orderId, paymentId: row.payment_id, expiredAt: at },
            { key: orderId },
          );
        }
      });
    }

    async function waitingForPayment(orderId: string) {
      return eventually(
        () => checkout.get(orderId),
        (saga) => saga?.awaiting?.phase === 'event',
        { what: `checkout of ${orderId} to wait for the counter payment` },
      );
    }

    it('waits for the slip to be paid, records the slip on the order, then approves', async () => {
      const data = order({ paymentMethod: { type: 'counter' } });
      await place(data);
      const waiting = await waitingForPayment(data.orderId);
      expect(waiting?.state).toBe('running');
      expect(waiting?.steps.map((step) => step.state)).toEqual(['done', 'done', 'running', 'pending', 'pending']);
      const slips = await ordering.pool.query('SELECT payment_code FROM order_slips WHERE order_id = $1', [
        data.orderId,
      ]);
      expect(slips.rows).toEqual([{ payment_code: '482019374650121' }]);
      expect(await participantRow('reservations', data.orderId)).toEqual({ state: 'held' });

      await announce(data.orderId, 'completed');
      const { saga, outcomes } = await ended(data.orderId);
      expect(saga?.state).toBe('completed');
      expect(outcomes).toEqual([{ outcome: 'approved', reason: null }]);
      expect(await participantRow('reservations', data.orderId)).toEqual({ state: 'committed' });
      expect(await participantRow('payments', data.orderId)).toEqual({ state: 'completed' });
      expect(saga?.history.map((entry) => entry.messageType)).toContain(PaymentCompleted.type);
    });

    it('compensates when the slip expires: the stock released, the order closed for PAYMENT_EXPIRED', async () => {
      const before = await participants.pool.query<{ available: number }>(
        'SELECT available FROM stock WHERE product_id = $1',
        [RUNNER],
      );
      const data = order({ paymentMethod: { type: 'counter' } });
      await place(data);
      await waitingForPayment(data.orderId);
      await announce(data.orderId, 'expired');
      const { saga, outcomes } = await ended(data.orderId);
      expect(saga?.state).toBe('compensated');
      expect(saga?.reason).toBe('PAYMENT_EXPIRED');
      expect(saga?.steps.map((step) => step.state)).toEqual([
        'done',
        'compensated',
        'compensated',
        'skipped',
        'skipped',
      ]);
      expect(outcomes).toEqual([{ outcome: 'rejected', reason: 'PAYMENT_EXPIRED' }]);
      expect(await participantRow('reservations', data.orderId)).toEqual({ state: 'released' });
      const after = await participants.pool.query<{ available: number }>(
        'SELECT available FROM stock WHERE product_id = $1',
        [RUNNER],
      );
      expect(after.rows[0]?.available).toBe(before.rows[0]?.available);
    });
  });
});
