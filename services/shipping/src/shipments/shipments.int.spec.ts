import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '@talad/auth/testing';
import { OrderApproved } from '@talad/contracts-ordering';
import {
  CancelShipment,
  isTrackingNumber,
  ShipmentCancellationRefused,
  ShipmentCancelled,
  type ShipmentStatus,
} from '@talad/contracts-shipping';
import { buildCourierApp } from '@talad/courier-sim';
import { createMessaging, migrateMessaging, type Messaging, type Transport } from '@talad/messaging';
import { observeTopic, type ObservedTopic } from '@talad/messaging/testing';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { buildShippingApp } from '../app.ts';
import { createCourierClient, type Courier } from '../courier/courier-client.ts';
import { signUpdate } from '../courier/update-signature.ts';
import { migrationsDirectory } from '../migrations.ts';

/**
 * Shipments by choreography, end to end within shipping: approvals and cancellations arrive through a
 * real PostgreSQL message log from a stand-in for ordering, the courier simulator runs on a real port
 * and calls shipping back over HTTP with signed updates, and the published statuses are read back.
 */
const SECRET = 'the-courier-and-shipping-share-this';
const silent = (service: string) => createLogger({ service, level: 'silent' });

let db: TestDatabase;
let orderingDb: TestDatabase;
let messageLog: TestDatabase;
let transport: Transport;
let observer: ObservedTopic<StatusEvent>;
let ordering: Messaging;
let issuer: TestIssuer;
let courierApp: ServiceApp;
let courierUrl: string;
let app: ServiceApp;

interface StatusEvent {
  orderId: string;
  shipmentId: string;
  status: ShipmentStatus;
  trackingNumber: string;
}
const statusEvents = (): StatusEvent[] => observer.dataOf('shipping.ShipmentStatusChanged.v1');
const replies = new Map<string, { type: string; data: Record<string, unknown> }>();

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'shipping_shipments', migrations: migrationsDirectory });
  await migrateMessaging(db.pool);
  orderingDb = await createTestDatabase({ prefix: 'shipping_ordering' });
  await migrateMessaging(orderingDb.pool);
  messageLog = await createTestDatabase({ prefix: 'shipping_shipments_log' });
  transport = createPostgresTransport({ url: messageLog.url });
  observer = await observeTopic<StatusEvent>(transport, 'shipping.events');
  // Ordering's side of the conversation: it publishes approvals, sends cancellations, hears the replies.
  ordering = createMessaging({ service: 'ordering', pool: orderingDb.pool, transport, logger: silent('ordering') });
  ordering.subscribe({
    messages: [ShipmentCancelled, ShipmentCancellationRefused],
    handler: async (message) => {
      replies.set(message.correlationId ?? '', { type: message.type, data: message.data });
    },
  });
  await ordering.start();

  courierApp = await buildCourierApp({ pace: { stepMs: 200 }, logger: silent('courier') });
  courierUrl = await courierApp.listen({ host: '127.0.0.1', port: 0 });
  issuer = await createTestIssuer();
  // The client needs shipping's own address, known once it listens.
  const real: { client?: Courier } = {};
  const client = (): Courier => {
    if (!real.client) throw new Error('shipping is not listening yet');
    return real.client;
  };
  const courier: Courier = {
    bookPickup: (booking) => client().bookPickup(booking),
    cancelPickup: (reference) => client().cancelPickup(reference),
  };
  app = await buildShippingApp({
    pool: db.pool,
    transport,
    verifier: issuer.verifier,
    courier: { client: courier, updateSecret: SECRET, desk: { pollMs: 100 } },
    logger: silent('shipping'),
  });
  const shippingUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  real.client = createCourierClient({
    baseUrl: courierUrl,
    callbackUrl: `${shippingUrl}/courier/updates`,
    callbackSecret: SECRET,
  });
});

afterAll(async () => {
  await app.close();
  await courierApp.close();
  await ordering.stop();
  await observer.stop();
  await transport.close();
  await db.drop();
  await orderingDb.drop();
  await messageLog.drop();
});

async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const customerId = randomUUID();
const bearer = async (sub: string, roles: string[] = ['customer']) => ({
  authorization: `Bearer ${await issuer.tokenFor({ sub, roles })}`,
});

async function approve(orderId: string): Promise<string> {
  return ordering.transaction((tx) =>
    ordering.publish(
      tx,
      OrderApproved,
      {
        orderId,
        customerId,
        lines: [
          {
            productId: randomUUID(),
            sku: 'NMD-42',
            name: 'Runner',
            size: '42',
            quantity: 1,
            unitPrice: { amount: 350_000, currency: 'THB' },
            lineTotal: { amount: 350_000, currency: 'THB' },
          },
        ],
        totals: {
          subtotal: { amount: 350_000, currency: 'THB' },
          shippingFee: { amount: 0, currency: 'THB' },
          total: { amount: 350_000, currency: 'THB' },
        },
        shippingAddress: {
          name: 'Somchai Jaidee',
          phone: '0812345678',
          line1: '99 Sukhumvit Road',
          subdistrict: 'Khlong Toei',
          district: 'Khlong Toei',
          province: 'Bangkok',
          postalCode: '10110',
        },
        shippingOption: 'express',
        approvedAt: new Date().toISOString(),
      },
      { key: orderId },
    ),
  );
}

async function cancel(orderId: string): Promise<{ type: string; data: Record<string, unknown> }> {
  const commandId = await ordering.transaction((tx) =>
    ordering.send(tx, CancelShipment, { orderId }, { key: orderId }),
  );
  return eventually(() => replies.get(commandId), `the reply to CancelShipment for ${orderId}`);
}

const statusesOf = (orderId: string) =>
  statusEvents()
    .filter((event) => event.orderId === orderId)
    .map((e) => e.status);

async function handledByShipping(messageId: string): Promise<boolean> {
  const { rowCount } = await db.pool.query('SELECT 1 FROM inbox WHERE message_id = $1', [messageId]);
  return rowCount === 1;
}

async function shipmentOf(orderId: string) {
  const { rows } = await db.pool.query<{ id: string; status: ShipmentStatus; pickup_state: string }>(
    'SELECT id, status, pickup_state FROM shipments WHERE order_id = $1',
    [orderId],
  );
  return rows[0];
}

async function pickupAtCourier(reference: string): Promise<{ status: string } | undefined> {
  const response = await fetch(`${courierUrl}/v1/pickups/${reference}`);
  return response.ok ? ((await response.json()) as { status: string }) : undefined;
}

async function setCourierStep(stepMs: number): Promise<void> {
  const response = await fetch(`${courierUrl}/admin/pace`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ stepMs }),
  });
  expect(response.status).toBe(200);
}

function signedUpdate(body: unknown, options: { secret?: string; at?: number } = {}) {
  const payload = JSON.stringify(body);
  const at = options.at ?? Math.floor(Date.now() / 1000);
  return {
    method: 'POST' as const,
    url: '/courier/updates',
    headers: {
      'content-type': 'application/json',
      'courier-signature': signUpdate(options.secret ?? SECRET, at, payload),
    },
    payload,
  };
}

describe('a shipment for every approved order', () => {
  it('is created on OrderApproved and moved by the courier to delivered, each step published in order', async () => {
    const orderId = randomUUID();
    await approve(orderId);
    await eventually(() => statusesOf(orderId).includes('delivered'), 'delivery');
    expect(statusesOf(orderId)).toEqual(['created', 'dispatched', 'in_transit', 'delivered']);
    const events = statusEvents().filter((event) => event.orderId === orderId);
    expect(new Set(events.map((event) => event.trackingNumber)).size).toBe(1);
    expect(isTrackingNumber(events[0]!.trackingNumber)).toBe(true);

    const view = await app.inject({ url: `/shipments/by-order/${orderId}`, headers: await bearer(customerId) });
    expect(view.statusCode).toBe(200);
    expect(view.headers['cache-control']).toContain('no-store');
    const shipment = view.json();
    expect(shipment).toMatchObject({
      orderId,
      customerId,
      status: 'delivered',
      option: 'express',
      courier: 'Talad Courier',
      trackingNumber: events[0]!.trackingNumber,
      shippingAddress: { name: 'Somchai Jaidee', postalCode: '10110' },
    });
    expect(shipment.timeline.map((entry: { status: string }) => entry.status)).toEqual([
      'created',
      'dispatched',
      'in_transit',
      'delivered',
    ]);
    expect((await pickupAtCourier(shipment.id))?.status).toBe('delivered');

    const tracking = await app.inject(`/shipments/track/${shipment.trackingNumber}`);
    expect(tracking.statusCode).toBe(200);
    expect(tracking.json()).toEqual({
      trackingNumber: shipment.trackingNumber,
      courier: 'Talad Courier',
      option: 'express',
      status: 'delivered',
      timeline: shipment.timeline,
    });
  });

  it('shows the order to its customer and admins only, and tracks valid numbers only', async () => {
    const orderId = randomUUID();
    await approve(orderId);
    await eventually(() => statusesOf(orderId).includes('created'), 'the shipment');
    const url = `/shipments/by-order/${orderId}`;
    expect((await app.inject({ url })).statusCode).toBe(401);
    const stranger = await app.inject({ url, headers: await bearer(randomUUID()) });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().code).toBe('SHIPPING_SHIPMENT_NOT_FOUND');
    expect((await app.inject({ url, headers: await bearer(randomUUID(), ['admin']) })).statusCode).toBe(200);
    const none = await app.inject({ url: `/shipments/by-order/${randomUUID()}`, headers: await bearer(customerId) });
    expect(none.statusCode).toBe(404);
    expect((await app.inject({ url: '/shipments/by-order/nope', headers: await bearer(customerId) })).statusCode).toBe(
      400,
    );

    expect((await app.inject('/shipments/track/TH0000000000018')).json().code).toBe('SHIPPING_SHIPMENT_NOT_FOUND');
    for (const mistyped of ['TH0000000000017', 'TH12', 'XX0000000000018']) {
      const response = await app.inject(`/shipments/track/${mistyped}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('INVALID_REQUEST');
    }
  });

  it('is created once however often the approval arrives', async () => {
    const orderId = randomUUID();
    const first = await approve(orderId);
    const second = await approve(orderId);
    await eventually(async () => (await handledByShipping(first)) && (await handledByShipping(second)), 'both');
    const { rows } = await db.pool.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM shipments WHERE order_id = $1',
      [orderId],
    );
    expect(rows[0]?.count).toBe(1);
    await eventually(() => statusesOf(orderId).includes('delivered'), 'delivery');
    expect(statusesOf(orderId)).toEqual(['created', 'dispatched', 'in_transit', 'delivered']);
  });
});

describe('cancelling a shipment', () => {
  it('before dispatch: cancelled, published, the pickup called off, and the courier refused the parcel', async () => {
    await setCourierStep(60_000);
    try {
      const orderId = randomUUID();
      await approve(orderId);
      const shipment = await eventually(async () => {
        const found = await shipmentOf(orderId);
        return found?.pickup_state === 'booked' ? found : undefined;
      }, 'the pickup booking');
      expect((await pickupAtCourier(shipment.id))?.status).toBe('booked');

      const reply = await cancel(orderId);
      expect(reply).toEqual({ type: ShipmentCancelled.type, data: { orderId, shipmentId: shipment.id } });
      expect((await shipmentOf(orderId))?.status).toBe('cancelled');
      await eventually(() => statusesOf(orderId).includes('cancelled'), 'the cancellation event');
      expect(statusesOf(orderId)).toEqual(['created', 'cancelled']);
      await eventually(async () => (await pickupAtCourier(shipment.id))?.status === 'cancelled', 'the call-off');
      expect((await shipmentOf(orderId))?.pickup_state).toBe('cancelled');

      // A dispatch reported after the cancellation is refused: the parcel stays, the shipment stays cancelled.
      const late = await app.inject(
        signedUpdate({
          eventId: randomUUID(),
          pickupId: 'PU-1',
          reference: shipment.id,
          status: 'dispatched',
          occurredAt: new Date().toISOString(),
        }),
      );
      expect(late.statusCode).toBe(410);
      expect(late.json().code).toBe('SHIPPING_SHIPMENT_CANCELLED');
      expect((await shipmentOf(orderId))?.status).toBe('cancelled');
      // Cancelling again is answered the same way and changes nothing.
      expect((await cancel(orderId)).type).toBe(ShipmentCancelled.type);
      expect(statusesOf(orderId)).toEqual(['created', 'cancelled']);
    } finally {
      await setCourierStep(200);
    }
  });

  it('after dispatch: refused with the status, and the parcel goes on', async () => {
    const orderId = randomUUID();
    await approve(orderId);
    await eventually(() => statusesOf(orderId).includes('dispatched'), 'dispatch');
    const reply = await cancel(orderId);
    expect(reply.type).toBe(ShipmentCancellationRefused.type);
    expect(reply.data['orderId']).toBe(orderId);
    expect(['dispatched', 'in_transit', 'delivered']).toContain(reply.data['status']);
    await eventually(() => statusesOf(orderId).includes('delivered'), 'delivery');
    expect(statusesOf(orderId)).not.toContain('cancelled');
  });

  it('before the approval arrived: remembered, so the approval ships nothing', async () => {
    const orderId = randomUUID();
    const reply = await cancel(orderId);
    expect(reply).toEqual({ type: ShipmentCancelled.type, data: { orderId } });
    const approval = await approve(orderId);
    await eventually(() => handledByShipping(approval), 'the approval');
    expect(await shipmentOf(orderId)).toBeUndefined();
    const view = await app.inject({ url: `/shipments/by-order/${orderId}`, headers: await bearer(customerId) });
    expect(view.statusCode).toBe(404);
    expect(statusesOf(orderId)).toEqual([]);
  });
});

describe("the courier's signed updates", () => {
  let shipmentId: string;
  let orderId: string;
  const update = () => ({
    eventId: randomUUID(),
    pickupId: 'PU-test',
    reference: shipmentId,
    status: 'dispatched',
    occurredAt: new Date().toISOString(),
  });

  beforeAll(async () => {
    await setCourierStep(60_000);
    orderId = randomUUID();
    await approve(orderId);
    shipmentId = (await eventually(() => shipmentOf(orderId), 'the shipment')).id;
  });
  afterAll(() => setCourierStep(200));

  it('refuse a forged, unsigned, malformed or stale signature, changing nothing', async () => {
    const forged = await app.inject(signedUpdate(update(), { secret: 'not-the-shared-secret' }));
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe('SHIPPING_COURIER_SIGNATURE_INVALID');
    const unsigned = await app.inject({ ...signedUpdate(update()), headers: { 'content-type': 'application/json' } });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().code).toBe('SHIPPING_COURIER_SIGNATURE_INVALID');
    const tampered = signedUpdate(update());
    const changed = await app.inject({ ...tampered, payload: tampered.payload.replace('dispatched', 'delivered') });
    expect(changed.statusCode).toBe(401);
    const stale = await app.inject(signedUpdate(update(), { at: Math.floor(Date.now() / 1000) - 600 }));
    expect(stale.statusCode).toBe(401);
    expect(stale.json().code).toBe('SHIPPING_COURIER_SIGNATURE_STALE');
    expect((await shipmentOf(orderId))?.status).toBe('created');
  });

  it('apply a good one once, and refuse the same request sent again', async () => {
    const request = signedUpdate(update());
    const first = await app.inject(request);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ shipmentStatus: 'dispatched' });
    const replay = await app.inject(request);
    expect(replay.statusCode).toBe(409);
    expect(replay.json().code).toBe('SHIPPING_COURIER_UPDATE_REPLAYED');
    await eventually(() => statusesOf(orderId).includes('dispatched'), 'the dispatch event');
    // An update that is no news (a step already recorded) is acknowledged and changes nothing.
    const again = await app.inject(signedUpdate(update(), { at: Math.floor(Date.now() / 1000) - 1 }));
    expect(again.json()).toEqual({ shipmentStatus: 'dispatched' });
    const pending = await db.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM outbox');
    expect(pending.rows[0]?.count).toBe(0);
    expect(statusesOf(orderId)).toEqual(['created', 'dispatched']);
  });

  it('answer a signed update with a bad body 400, and one for an unknown shipment 404', async () => {
    const bad = await app.inject(signedUpdate({ ...update(), status: 'lost' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('INVALID_REQUEST');
    const unknown = await app.inject(signedUpdate({ ...update(), reference: randomUUID() }));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('SHIPPING_SHIPMENT_NOT_FOUND');
  });
});
