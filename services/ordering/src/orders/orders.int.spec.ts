import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@talad/core';
import { observeTopic, type ObservedMessage } from '@talad/messaging/testing';
import { withTransaction } from '@talad/pg';
import { KNOWN_CARD_TOKEN, PRODUCTS, startOrderingHarness, type OrderingHarness } from '../testing/ordering-harness.ts';
import { SAMPLE_ADDRESS } from '@talad/contracts-common/testing';

/** Ordering through its HTTP API, on a real database and the real PostgreSQL message log. */
let harness: OrderingHarness;
let published: ObservedMessage[];

beforeAll(async () => {
  harness = await startOrderingHarness('ordering_orders');
  // Another service's view of ordering's events, through the real message log.
  published = (await observeTopic(harness.transport, 'ordering.events')).messages;
});

afterAll(() => harness.close());

const address = SAMPLE_ADDRESS;

function orderBody(overrides: Record<string, unknown> = {}) {
  return {
    lines: [
      { productId: PRODUCTS.runner.id, size: '42', quantity: 1 },
      { productId: PRODUCTS.socks.id, quantity: 2 },
    ],
    shippingAddress: address,
    shippingOption: 'standard',
    paymentMethod: { type: 'card', cardToken: KNOWN_CARD_TOKEN },
    ...overrides,
  };
}

/** `key` null sends no Idempotency-Key header. */
async function place(customerId: string, body: unknown, key: string | null = newId()) {
  return harness.app.inject({
    method: 'POST',
    url: '/orders',
    payload: body as Record<string, unknown>,
    headers: { ...(await harness.bearer(customerId)), ...(key === null ? {} : { 'idempotency-key': key }) },
  });
}

async function countOf(sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await harness.db.pool.query<{ count: number }>(sql, values);
  return rows[0]?.count ?? 0;
}

const ordersOf = (customerId: string) =>
  countOf("SELECT count(*)::int AS count FROM events WHERE type = 'OrderPlaced' AND data->>'customerId' = $1", [
    customerId,
  ]);
const sagaCount = () => countOf('SELECT count(*)::int AS count FROM saga_instances');

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('placing an order', () => {
  it('answers 202 pending at once, records the order, starts checkout and publishes OrderPlaced', async () => {
    const customerId = newId();
    const response = await place(customerId, orderBody());
    expect(response.statusCode).toBe(202);
    const { orderId, status } = response.json();
    expect(status).toBe('pending');
    expect(response.headers['location']).toBe(`/orders/${orderId}`);
    expect(await ordersOf(customerId)).toBe(1);
    expect(await countOf('SELECT count(*)::int AS count FROM saga_instances WHERE id = $1', [orderId])).toBe(1);
    await eventually(() => published.some((event) => event.subject === orderId), 'OrderPlaced');
    expect(published.find((event) => event.subject === orderId)?.type).toBe('ordering.OrderPlaced.v1');
  });

  it('answers a retry with the same key and body the same, with one order', async () => {
    const customerId = newId();
    const key = newId();
    const first = await place(customerId, orderBody(), key);
    // The same request re-serialized with its keys in another order is still the same request.
    const reordered = Object.fromEntries(Object.entries(orderBody()).reverse());
    const [second, third] = await Promise.all([place(customerId, reordered, key), place(customerId, orderBody(), key)]);
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    expect(third.statusCode).toBe(202);
    expect(second.json()).toEqual(first.json());
    expect(third.json()).toEqual(first.json());
    expect(await ordersOf(customerId)).toBe(1);
  });

  it('refuses the same key with a different body (422), placing nothing more', async () => {
    const customerId = newId();
    const key = newId();
    expect((await place(customerId, orderBody(), key)).statusCode).toBe(202);
    const reused = await place(customerId, orderBody({ shippingOption: 'express' }), key);
    expect(reused.statusCode).toBe(422);
    expect(reused.headers['content-type']).toContain('application/problem+json');
    expect(reused.json().code).toBe('ORDERING_IDEMPOTENCY_KEY_REUSED');
    expect(await ordersOf(customerId)).toBe(1);
  });

  it('keeps keys per customer: two customers may use the same key', async () => {
    const key = newId();
    const a = await place(newId(), orderBody(), key);
    const b = await place(newId(), orderBody(), key);
    expect(a.statusCode).toBe(202);
    expect(b.statusCode).toBe(202);
    expect(b.json().orderId).not.toBe(a.json().orderId);
  });

  it.each([
    ['no Idempotency-Key', orderBody(), null, 400, 'ORDERING_IDEMPOTENCY_KEY_REQUIRED'],
    ['a blank Idempotency-Key', orderBody(), '  ', 400, 'ORDERING_IDEMPOTENCY_KEY_REQUIRED'],
    ['an empty order', orderBody({ lines: [] }), newId(), 400, 'ORDERING_EMPTY_ORDER'],
    [
      'a quantity of 0',
      orderBody({ lines: [{ productId: PRODUCTS.socks.id, quantity: 0 }] }),
      newId(),
      400,
      'ORDERING_INVALID_QUANTITY',
    ],
    [
      'a negative quantity',
      orderBody({ lines: [{ productId: PRODUCTS.socks.id, quantity: -3 }] }),
      newId(),
      400,
      'ORDERING_INVALID_QUANTITY',
    ],
    [
      'a quantity above the limit',
      orderBody({ lines: [{ productId: PRODUCTS.socks.id, quantity: 21 }] }),
      newId(),
      400,
      'ORDERING_INVALID_QUANTITY',
    ],
    [
      'an unknown product',
      orderBody({ lines: [{ productId: newId(), quantity: 1 }] }),
      newId(),
      422,
      'ORDERING_UNKNOWN_PRODUCT',
    ],
    [
      'a size the product does not have',
      orderBody({ lines: [{ productId: PRODUCTS.runner.id, size: '47', quantity: 1 }] }),
      newId(),
      422,
      'ORDERING_INVALID_SIZE',
    ],
    [
      'no size for a product with sizes',
      orderBody({ lines: [{ productId: PRODUCTS.runner.id, quantity: 1 }] }),
      newId(),
      422,
      'ORDERING_SIZE_REQUIRED',
    ],
    [
      'a card token that does not exist',
      orderBody({ paymentMethod: { type: 'card', cardToken: 'tok_made_up' } }),
      newId(),
      422,
      'ORDERING_UNKNOWN_CARD_TOKEN',
    ],
    [
      'a malformed address',
      orderBody({ shippingAddress: { ...address, postalCode: '1011' } }),
      newId(),
      400,
      'INVALID_REQUEST',
    ],
  ])('answers %s with a problem, and starts no checkout', async (_, body, key, status, code) => {
    const customerId = newId();
    const sagasBefore = await sagaCount();
    const response = await place(customerId, body, key);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe(code);
    expect(await ordersOf(customerId)).toBe(0);
    expect(await sagaCount()).toBe(sagasBefore);
  });

  it('names the bad line when a quantity is wrong', async () => {
    const response = await place(
      newId(),
      orderBody({
        lines: [
          { productId: PRODUCTS.socks.id, quantity: 1 },
          { productId: PRODUCTS.cap.id, quantity: 0 },
        ],
      }),
    );
    expect(response.json()).toMatchObject({ code: 'ORDERING_INVALID_QUANTITY', line: 1 });
    expect(response.json().errors[0].name).toBe('lines.1.quantity');
  });

  it('refuses anonymous callers (401) and people without the customer role (403)', async () => {
    const anonymous = await harness.app.inject({ method: 'POST', url: '/orders', payload: orderBody() });
    expect(anonymous.statusCode).toBe(401);
    const sagasBefore = await sagaCount();
    const client = await harness.app.inject({
      method: 'POST',
      url: '/orders',
      payload: orderBody(),
      headers: { ...(await harness.bearer(newId(), [])), 'idempotency-key': newId() },
    });
    expect(client.statusCode).toBe(403);
    expect(await sagaCount()).toBe(sagasBefore);
  });
});

describe('reading an order', () => {
  let owner: string;
  let orderId: string;
  beforeAll(async () => {
    owner = newId();
    orderId = (await place(owner, orderBody())).json().orderId;
  });

  it('shows the owner the lines, totals priced from the replica, and checkout progress', async () => {
    const response = await harness.app.inject({ url: `/orders/${orderId}`, headers: await harness.bearer(owner) });
    expect(response.statusCode).toBe(200);
    const order = response.json();
    expect(order).toMatchObject({
      id: orderId,
      customerId: owner,
      status: 'pending',
      rejectionReason: null,
      version: 1,
    });
    expect(order.lines).toEqual([
      expect.objectContaining({
        sku: 'SNK-TST-000001',
        size: '42',
        quantity: 1,
        lineTotal: { amount: 129_000, currency: 'THB' },
      }),
      expect.objectContaining({
        sku: 'ACC-TST-000002',
        size: null,
        quantity: 2,
        lineTotal: { amount: 19_800, currency: 'THB' },
      }),
    ]);
    // 1,488.00 THB is above standard shipping's free threshold of 1,000.00 THB.
    expect(order.totals).toEqual({
      subtotal: { amount: 148_800, currency: 'THB' },
      shippingFee: { amount: 0, currency: 'THB' },
      total: { amount: 148_800, currency: 'THB' },
    });
    expect(order.payment).toEqual({ method: 'card', brand: null, last4: null, slip: null });
    expect(order.checkout.steps.map((step: { name: string }) => step.name)).toEqual([
      'verifyCustomer',
      'reserveStock',
      'authorizePayment',
      'commitReservation',
      'capturePayment',
    ]);
    expect(order.checkout.steps[0].state).toBe('running');
  });

  it('shows it to an admin', async () => {
    const response = await harness.app.inject({
      url: `/orders/${orderId}`,
      headers: await harness.bearer(newId(), ['admin']),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().customerId).toBe(owner);
  });

  it('tells another customer there is no such order (404), as for an unknown id', async () => {
    const other = await harness.app.inject({ url: `/orders/${orderId}`, headers: await harness.bearer(newId()) });
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('ORDERING_ORDER_NOT_FOUND');
    const unknown = await harness.app.inject({ url: `/orders/${newId()}`, headers: await harness.bearer(owner) });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('ORDERING_ORDER_NOT_FOUND');
  });
});

describe('cancelling an order', () => {
  it('stops checkout before approval and ends the order cancelled', async () => {
    const owner = newId();
    const { orderId } = (await place(owner, orderBody())).json();
    const other = await harness.app.inject({
      method: 'POST',
      url: `/orders/${orderId}/cancel`,
      headers: await harness.bearer(newId()),
    });
    expect(other.statusCode).toBe(404);

    const cancel = () =>
      harness
        .bearer(owner)
        .then((headers) => harness.app.inject({ method: 'POST', url: `/orders/${orderId}/cancel`, headers }));
    const response = await cancel();
    expect(response.statusCode).toBe(202);
    expect(response.json().orderId).toBe(orderId);
    // Nothing was done yet that needs undoing beyond the running step, so checkout ends compensated.
    const view = async () =>
      (await harness.app.inject({ url: `/orders/${orderId}`, headers: await harness.bearer(owner) })).json<{
        status: string;
      }>();
    await eventually(async () => (await view()).status === 'cancelled', 'the order to be cancelled');
    await eventually(
      () => published.some((event) => event.subject === orderId && event.type === 'ordering.OrderCancelled.v1'),
      'OrderCancelled',
    );
    // Asking again answers the same.
    expect((await cancel()).json()).toEqual({ orderId, status: 'cancelled' });
  });

  it('starts the cancellation saga once an order was approved, once however often asked', async () => {
    const owner = newId();
    const { orderId } = (await place(owner, orderBody())).json();
    // The saga's completion hook, as the orchestrator calls it in its transaction.
    await withTransaction(harness.db.pool, (tx) => harness.orders.approveOrder(tx, orderId, new Date()));
    const cancel = async () =>
      harness.app.inject({ method: 'POST', url: `/orders/${orderId}/cancel`, headers: await harness.bearer(owner) });
    for (let time = 0; time < 2; time++) {
      const response = await cancel();
      expect(response.statusCode).toBe(202);
      expect(response.json()).toEqual({ orderId, status: 'approved' });
    }
    const view = await harness.app.inject({ url: `/orders/${orderId}`, headers: await harness.bearer(owner) });
    expect(view.json()).toMatchObject({
      status: 'approved',
      version: 3,
      cancellation: { state: 'requested', requestedBy: 'customer', reason: null },
      fulfilment: null,
    });
    const sagas = await harness.db.pool.query<{ state: string }>(
      `SELECT state FROM saga_instances WHERE definition = 'cancellation' AND data->>'orderId' = $1`,
      [orderId],
    );
    expect(sagas.rows).toEqual([{ state: 'running' }]);
  });

  it('refuses a rejected order (409)', async () => {
    const owner = newId();
    const { orderId } = (await place(owner, orderBody())).json();
    await withTransaction(harness.db.pool, (tx) =>
      harness.orders.closeCompensatedOrder(tx, orderId, 'OUT_OF_STOCK', new Date()),
    );
    const response = await harness.app.inject({
      method: 'POST',
      url: `/orders/${orderId}/cancel`,
      headers: await harness.bearer(owner),
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('ORDERING_ORDER_NOT_CANCELLABLE');
    const view = await harness.app.inject({ url: `/orders/${orderId}`, headers: await harness.bearer(owner) });
    expect(view.json()).toMatchObject({ status: 'rejected', version: 2, cancellation: null });
  });
});

describe('what the checkout saga changes', () => {
  it('approves an order once and publishes OrderApproved with its lines and address', async () => {
    const owner = newId();
    const { orderId } = (await place(owner, orderBody())).json();
    for (let time = 0; time < 2; time++) {
      await withTransaction(harness.db.pool, (tx) => harness.orders.approveOrder(tx, orderId, new Date()));
    }
    await eventually(
      () => published.some((event) => event.subject === orderId && event.type === 'ordering.OrderApproved.v1'),
      'OrderApproved',
    );
    const approvals = published.filter(
      (event) => event.subject === orderId && event.type === 'ordering.OrderApproved.v1',
    );
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toMatchObject({ data: { customerId: owner, shippingAddress: { postalCode: '10110' } } });
  });

  it('shows the authorized card, and rejects a compensated order with the published reason', async () => {
    const owner = newId();
    const { orderId } = (await place(owner, orderBody())).json();
    await withTransaction(harness.db.pool, async (tx) => {
      await harness.orders.recordPaymentAuthorized(tx, orderId, { brand: 'visa', last4: '4242' }, new Date());
      await harness.orders.closeCompensatedOrder(tx, orderId, 'PAYMENT_DECLINED', new Date());
    });
    const view = await harness.app.inject({ url: `/orders/${orderId}`, headers: await harness.bearer(owner) });
    expect(view.json()).toMatchObject({
      status: 'rejected',
      rejectionReason: 'PAYMENT_DECLINED',
      payment: { brand: 'visa', last4: '4242' },
      version: 3,
    });
    await eventually(
      () => published.some((event) => event.subject === orderId && event.type === 'ordering.OrderRejected.v1'),
      'OrderRejected',
    );
    expect(
      published.find((event) => event.subject === orderId && event.type === 'ordering.OrderRejected.v1'),
    ).toMatchObject({
      data: { reason: 'PAYMENT_DECLINED' },
    });
  });
});

describe('saga administration', () => {
  it('shows one saga and lists sagas by state to admins only', async () => {
    const { orderId } = (await place(newId(), orderBody())).json();
    const admin = await harness.bearer(newId(), ['admin']);
    const one = await harness.app.inject({ url: `/admin/sagas/${orderId}`, headers: admin });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ state: 'running' });
    const listed = await harness.app.inject({ url: '/admin/sagas?state=running&limit=500', headers: admin });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.length).toBeGreaterThan(0);
    expect(listed.json().items.every((saga: { state: string }) => saga.state === 'running')).toBe(true);

    const missing = await harness.app.inject({ url: `/admin/sagas/${newId()}`, headers: admin });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('ORDERING_SAGA_NOT_FOUND');
    const badState = await harness.app.inject({ url: '/admin/sagas?state=sleeping', headers: admin });
    expect(badState.statusCode).toBe(400);
    const customer = await harness.app.inject({
      url: `/admin/sagas/${orderId}`,
      headers: await harness.bearer(newId()),
    });
    expect(customer.statusCode).toBe(403);
  });

  it('cancels, as the system, an order whose pay slip expired, and publishes why', async () => {
    const owner = newId();
    const { orderId } = (await place(owner, orderBody())).json();
    await withTransaction(harness.db.pool, (tx) =>
      harness.orders.closeCompensatedOrder(tx, orderId, 'PAYMENT_EXPIRED', new Date()),
    );
    const view = await harness.app.inject({ url: `/orders/${orderId}`, headers: await harness.bearer(owner) });
    expect(view.json()).toMatchObject({
      status: 'cancelled',
      rejectionReason: null,
      cancellation: { state: 'completed', requestedBy: 'system', reason: 'PAYMENT_EXPIRED' },
    });
    await eventually(
      () => published.some((event) => event.subject === orderId && event.type === 'ordering.OrderCancelled.v1'),
      'OrderCancelled',
    );
    expect(
      published.find((event) => event.subject === orderId && event.type === 'ordering.OrderCancelled.v1'),
    ).toMatchObject({ data: { cancelledBy: 'system', reason: 'PAYMENT_EXPIRED' } });
  });
});
