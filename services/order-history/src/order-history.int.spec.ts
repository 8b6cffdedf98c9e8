import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '@talad/auth/testing';
import type { OrderHistoryPage, OrderSummary, RebuildReport } from '@talad/contracts-order-history';
import { OrderApproved, OrderCancelled, OrderPlaced } from '@talad/contracts-ordering';
import { PaymentStatusChanged } from '@talad/contracts-payment';
import { ShipmentStatusChanged } from '@talad/contracts-shipping';
import { newId } from '@talad/core';
import {
  createMessaging,
  migrateMessaging,
  type AnyMessageDefinition,
  type MessageInput,
  type Messaging,
  type Transport,
} from '@talad/messaging';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { buildOrderHistoryApp } from './app.ts';
import { allSummaries } from './history/index.ts';
import { migrationsDirectory } from './migrations.ts';
import { orderFacts } from './testing/order-facts.ts';

/**
 * order-history through its HTTP API on a real database, its events published by real producers
 * (ordering, payment, shipping) through their outboxes and a real PostgreSQL message log.
 */
const silent = createLogger({ service: 'order-history', level: 'silent' });
let db: TestDatabase;
let messageLog: TestDatabase;
let transport: Transport;
let issuer: TestIssuer;
let app: ServiceApp;
const producers = new Map<string, { db: TestDatabase; messaging: Messaging }>();

async function producer(service: string): Promise<void> {
  const producerDb = await createTestDatabase({ prefix: `history_${service}` });
  await migrateMessaging(producerDb.pool);
  const messaging = createMessaging({ service, pool: producerDb.pool, transport, logger: silent });
  await messaging.start();
  producers.set(service, { db: producerDb, messaging });
}

/** Publishes through the owner's outbox, as the producing service does. */
async function publish<Definition extends AnyMessageDefinition & { kind: 'event' }>(
  definition: Definition,
  data: MessageInput<Definition>,
): Promise<void> {
  const owner = producers.get(definition.type.split('.')[0]!)!;
  await owner.messaging.transaction((tx) =>
    owner.messaging.publish(tx, definition, data, { key: (data as { orderId: string }).orderId }),
  );
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < 150 && !done(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

const bearer = async (sub: string, roles = ['customer']) => ({
  authorization: `Bearer ${await issuer.tokenFor({ sub, roles })}`,
});
const summaryOf = async (orderId: string, sub: string, roles?: string[]) =>
  app.inject({ url: `/order-history/${orderId}`, headers: await bearer(sub, roles) });
const receivedCount = async (orderId: string): Promise<number> =>
  Number((await db.pool.query('SELECT count(*) AS n FROM received_events WHERE order_id = $1', [orderId])).rows[0].n);

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'history_http', migrations: migrationsDirectory });
  await migrateMessaging(db.pool);
  messageLog = await createTestDatabase({ prefix: 'history_log' });
  transport = createPostgresTransport({ url: messageLog.url });
  issuer = await createTestIssuer();
  app = await buildOrderHistoryApp({ pool: db.pool, transport, verifier: issuer.verifier, logger: silent });
  await app.ready();
  for (const service of ['ordering', 'payment', 'shipping']) await producer(service);
});

afterAll(async () => {
  await app.close();
  for (const side of producers.values()) await side.messaging.stop();
  await transport.close();
  for (const database of [db, messageLog, ...[...producers.values()].map((side) => side.db)]) await database.drop();
});

/** A counter-paid order's whole journey, in the order things happen. */
async function publishJourney(facts: ReturnType<typeof orderFacts>): Promise<void> {
  await publish(OrderPlaced, facts.placed(0));
  await publish(PaymentStatusChanged, facts.payment('pending', 1));
  await publish(PaymentStatusChanged, facts.payment('completed', 30));
  await publish(OrderApproved, facts.approved(31));
  await publish(ShipmentStatusChanged, facts.shipment('dispatched', 60));
  await publish(ShipmentStatusChanged, facts.shipment('delivered', 600));
}

describe('order-history: the read model', () => {
  it('builds an order’s summary and timeline from ordering’s, payment’s and shipping’s events', async () => {
    const facts = orderFacts();
    await publishJourney(facts);
    const response = await eventually(
      () => summaryOf(facts.orderId, facts.customerId),
      (answer) => answer.statusCode === 200 && answer.json<OrderSummary>().stage === 'delivered',
    );
    expect(response.statusCode).toBe(200);
    const summary = response.json<OrderSummary>();
    expect(summary).toMatchObject({
      orderId: facts.orderId,
      status: 'approved',
      stage: 'delivered',
      totals: { total: { amount: 305_000, currency: 'THB' } },
      payment: { method: 'counter', state: 'completed', slip: { paymentCode: facts.slip.paymentCode } },
      shipment: { trackingNumber: 'TH0000000001', status: 'delivered' },
    });
    expect(summary.timeline).toEqual([
      { step: 'placed', at: facts.at(0) },
      { step: 'payment_pending', at: facts.at(1) },
      { step: 'paid', at: facts.at(30) },
      { step: 'approved', at: facts.at(31) },
      { step: 'dispatched', at: facts.at(60) },
      { step: 'delivered', at: facts.at(600) },
    ]);
  });

  it('shows an order to its owner and admins only; bad ids and missing tokens are 4xx', async () => {
    const facts = orderFacts();
    await publish(OrderPlaced, facts.placed(0));
    await eventually(
      () => summaryOf(facts.orderId, facts.customerId),
      (answer) => answer.statusCode === 200,
    );
    const stranger = await summaryOf(facts.orderId, newId());
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json()).toMatchObject({ code: 'ORDER_HISTORY_ORDER_NOT_FOUND' });
    expect((await summaryOf(facts.orderId, newId(), ['customer', 'admin'])).statusCode).toBe(200);
    const badId = await summaryOf('not-a-uuid', facts.customerId);
    expect(badId.statusCode).toBe(400);
    expect((await app.inject(`/order-history/${facts.orderId}`)).statusCode).toBe(401);
  });

  it('with Prefer: wait, answers an order whose events are still on their way once they arrive', async () => {
    const facts = orderFacts();
    const headers = { ...(await bearer(facts.customerId)), prefer: 'wait=3' };
    const asked = app.inject({ url: `/order-history/${facts.orderId}`, headers });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publish(OrderPlaced, facts.placed(0));
    const answer = await asked;
    expect(answer.statusCode).toBe(200);
    expect(answer.json<OrderSummary>()).toMatchObject({ orderId: facts.orderId, stage: 'pending' });
    // Waited for and still not there: the 404 comes after all.
    const unknown = await app.inject({ url: `/order-history/${newId()}`, headers: { ...headers, prefer: 'wait=1' } });
    expect(unknown.statusCode).toBe(404);
  });

  it('lists the caller’s orders newest first, a page at a time', async () => {
    const customerId = newId();
    const orders = [0, 1, 2].map((day) => orderFacts({ customerId, start: new Date(Date.UTC(2026, 10, 10 + day, 9)) }));
    for (const facts of orders) await publish(OrderPlaced, facts.placed(0));
    await publish(OrderPlaced, orderFacts().placed(0)); // someone else's
    const headers = await bearer(customerId);
    const first = await eventually(
      async () => (await app.inject({ url: '/order-history?pageSize=2', headers })).json<OrderHistoryPage>(),
      (page) => page.total === 3,
    );
    expect(first.items.map((item) => item.orderId)).toEqual([orders[2]!.orderId, orders[1]!.orderId]);
    expect(first.items[0]).toMatchObject({ status: 'pending', stage: 'pending', itemCount: 2 });
    const second = (await app.inject({ url: '/order-history?pageSize=2&page=2', headers })).json<OrderHistoryPage>();
    expect(second).toMatchObject({ page: 2, total: 3, items: [{ orderId: orders[0]!.orderId }] });
    const tooBig = await app.inject({ url: '/order-history?pageSize=1000', headers });
    expect(tooBig.statusCode).toBe(400);
  });

  it('tolerates events out of order across topics: shipping and payment before ordering', async () => {
    const inOrder = orderFacts();
    const reversed = orderFacts({ customerId: inOrder.customerId });
    await publishJourney(inOrder);
    await publish(ShipmentStatusChanged, reversed.shipment('delivered', 600));
    await publish(ShipmentStatusChanged, reversed.shipment('dispatched', 60));
    await publish(PaymentStatusChanged, reversed.payment('completed', 30));
    await publish(OrderApproved, reversed.approved(31));
    await publish(PaymentStatusChanged, reversed.payment('pending', 1));
    expect(
      await eventually(
        () => receivedCount(reversed.orderId),
        (count) => count === 5,
      ),
    ).toBe(5);
    expect((await summaryOf(reversed.orderId, reversed.customerId)).statusCode).toBe(404);
    await publish(OrderPlaced, reversed.placed(0));
    const [a, b] = await Promise.all(
      [inOrder, reversed].map((facts) =>
        eventually(
          async () => (await summaryOf(facts.orderId, facts.customerId)).json<OrderSummary>(),
          (summary) => summary.stage === 'delivered',
        ),
      ),
    );
    const comparable = (summary: OrderSummary) => ({
      ...summary,
      orderId: undefined,
      lines: summary.lines.map((line) => ({ ...line, productId: undefined })),
      payment: { ...summary.payment, paymentId: undefined },
      shipment: { ...summary.shipment, shipmentId: undefined },
    });
    expect(comparable(b!)).toEqual(comparable(a!));
  });

  it('gives the same model when events are replayed: the same facts again change nothing', async () => {
    const facts = orderFacts();
    await publishJourney(facts);
    const before = await eventually(
      async () => (await summaryOf(facts.orderId, facts.customerId)).json<OrderSummary>(),
      (summary) => summary.stage === 'delivered',
    );
    for (let round = 0; round < 3; round++) await publishJourney(facts);
    await eventually(
      () => receivedCount(facts.orderId),
      (count) => count === 24,
    );
    expect((await summaryOf(facts.orderId, facts.customerId)).json<OrderSummary>()).toEqual(before);
  });

  it('exposes its lag as a Prometheus metric', async () => {
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toMatch(/^order_history_lag_seconds(\{[^}]*\})? \d/m);
  });
});

/** Waits until no event has arrived for a while: the previous test's events are all applied. */
async function quiet(): Promise<void> {
  const count = async () => Number((await db.pool.query('SELECT count(*) AS n FROM received_events')).rows[0].n);
  let last = -1;
  for (let current = await count(); current !== last; current = await count()) {
    last = current;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('order-history: rebuild', () => {
  const rebuild = async (): Promise<RebuildReport> => {
    const response = await app.inject({
      method: 'POST',
      url: '/admin/rebuild',
      headers: await bearer(newId(), ['customer', 'admin']),
    });
    expect(response.statusCode).toBe(200);
    return response.json<RebuildReport>();
  };

  it('rebuilds from the received events and finds the live model equal, again and again', async () => {
    const live = await allSummaries(db.pool);
    for (let round = 0; round < 3; round++) {
      const report = await rebuild();
      expect(report).toMatchObject({ equal: true, repaired: 0, differingOrders: [] });
      expect(report.orders).toBe(live.size);
    }
    expect(await allSummaries(db.pool)).toEqual(live);
  });

  it('rebuilt while events are being applied, equals the live model at its snapshot', async () => {
    await quiet();
    const before = (await rebuild()).events;
    const writes = (async () => {
      for (let order = 0; order < 15; order++) {
        const facts = orderFacts();
        await publishJourney(facts);
        await publish(OrderCancelled, facts.cancelled(700));
      }
    })();
    const reports: RebuildReport[] = [];
    const progress = { writing: true };
    void writes.finally(() => (progress.writing = false));
    while (progress.writing || reports.length < 3) reports.push(await rebuild());
    await writes;
    expect(reports.every((report) => report.equal)).toBe(true);
    await quiet();
    const settled = await rebuild();
    expect(settled.equal).toBe(true);
    expect(settled.events).toBe(before + 15 * 7);
  });

  it('repairs a live model that went wrong, from scratch, and then reports equal', async () => {
    await quiet();
    const live = await allSummaries(db.pool);
    const [first, second] = [...live.keys()];
    await db.pool.query('DELETE FROM order_summaries WHERE order_id = $1', [first]);
    await db.pool.query(
      `UPDATE order_summaries SET summary = jsonb_set(summary, '{stage}', '"rejected"') WHERE order_id = $1`,
      [second],
    );
    const report = await rebuild();
    expect(report.equal).toBe(false);
    expect(report.differingOrders).toEqual([first, second].sort());
    expect(await rebuild()).toMatchObject({ equal: true });
    const repaired = await allSummaries(db.pool);
    expect(repaired.get(first!)).toEqual(live.get(first!));
    expect(repaired.get(second!)).toEqual(live.get(second!));
  });

  it('is for operators only', async () => {
    const response = await app.inject({ method: 'POST', url: '/admin/rebuild', headers: await bearer(newId()) });
    expect(response.statusCode).toBe(403);
  });
});
