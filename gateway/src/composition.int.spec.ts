import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Composition, GatewayRoute } from './route-table.ts';
import { startTestBackend, type BackendHandler, type TestBackend } from './testing/test-backend.ts';
import { startTestGateway, type TestGateway } from './testing/test-gateway.ts';
import { startTestTokenIssuer, type TestTokenIssuer } from './testing/test-token-issuer.ts';

/**
 * An order's details composed from three real HTTP servers standing in for ordering, payment and
 * shipping: called in parallel with the caller's token, merged, and still answered when one is down.
 */
const orderId = '0193a5f0-0000-7000-8000-000000000001';
const composition: Composition = {
  path: '/api/orders/:id/details',
  access: 'customer',
  deadlineMs: 400,
  parts: [
    { name: 'order', upstream: 'ordering', path: '/orders/:id', primary: true },
    { name: 'payment', upstream: 'payment', path: '/payments/by-order/:id' },
    { name: 'shipment', upstream: 'shipping', path: '/shipments/by-order/:id' },
  ],
};
// The proxy's own route for orders, so the composition is shown to win over its wildcard.
const routes: GatewayRoute[] = [
  { prefix: '/api/orders', upstream: 'ordering', upstreamPrefix: '/orders', access: 'customer', deadlineMs: 2_000 },
];

let issuer: TestTokenIssuer;
let ordering: TestBackend;
let payment: TestBackend;
let shipping: TestBackend;
let gateway: TestGateway;
let token: string;

const json =
  (status: number, body: unknown): BackendHandler =>
  (_request, response) => {
    response.statusCode = status;
    response.setHeader('content-type', status < 400 ? 'application/json' : 'application/problem+json');
    response.end(JSON.stringify(body));
  };

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  [ordering, payment, shipping] = (await Promise.all(
    ['ordering', 'payment', 'shipping'].map((name) => startTestBackend(name)),
  )) as [TestBackend, TestBackend, TestBackend];
  gateway = await startTestGateway({
    upstreams: { ordering: ordering.url, payment: payment.url, shipping: shipping.url },
    routes,
    compositions: [composition],
    verifier: issuer.verifier(),
    // One failure must not open a breaker for the next test.
    resilience: { maxAttempts: 1 },
  });
  token = await issuer.userToken('0193a5f0-0000-7000-8000-0000000000c1', ['customer']);
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([ordering.close(), payment.close(), shipping.close(), issuer.close()]);
});

beforeEach(() => {
  ordering.handle = json(200, { id: orderId, status: 'approved' });
  payment.handle = json(200, { paymentId: 'p-1', state: 'captured' });
  shipping.handle = json(200, { trackingNumber: 'TH123', status: 'dispatched' });
});

const details = (id = orderId, bearer: string | null = token) =>
  fetch(`${gateway.url}/api/orders/${id}/details`, bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {});

describe('order details by API composition', () => {
  it('merges the three services, each asked once with the caller’s token', async () => {
    const response = await details();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      order: { id: orderId, status: 'approved' },
      payment: { paymentId: 'p-1', state: 'captured' },
      shipment: { trackingNumber: 'TH123', status: 'dispatched' },
    });
    expect(ordering.received.at(-1)).toMatchObject({
      url: `/orders/${orderId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(payment.received.at(-1)).toMatchObject({
      url: `/payments/by-order/${orderId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(shipping.received.at(-1)?.url).toBe(`/shipments/by-order/${orderId}`);
  });

  it('still answers 200 with a stopped service’s part marked unavailable', async () => {
    await payment.kill();
    try {
      const response = await details();
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        order: { id: orderId, status: 'approved' },
        payment: { unavailable: true },
        shipment: { trackingNumber: 'TH123', status: 'dispatched' },
      });
    } finally {
      await payment.restart();
    }
  });

  it('marks a part that misses the deadline or fails unavailable, and one that does not exist yet null', async () => {
    shipping.handle = (_request, response) => setTimeout(() => json(200, {})(_request, response), 1_500).unref();
    payment.handle = json(500, { code: 'BOOM' });
    ordering.handle = json(200, { id: orderId, status: 'pending' });
    const response = await details();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      order: { id: orderId, status: 'pending' },
      payment: { unavailable: true },
      shipment: { unavailable: true },
    });
    shipping.handle = json(404, { code: 'SHIPPING_SHIPMENT_NOT_FOUND' });
    payment.handle = json(200, { paymentId: 'p-1', state: 'authorized' });
    expect(await (await details()).json()).toMatchObject({ payment: { state: 'authorized' }, shipment: null });
  });

  it('answers ordering’s 404 when the order is not the caller’s, and 401 without a token', async () => {
    ordering.handle = json(404, { code: 'ORDERING_ORDER_NOT_FOUND' });
    const missing = await details();
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 'ORDERING_ORDER_NOT_FOUND' });
    const before = ordering.received.length;
    expect((await details(orderId, null)).status).toBe(401);
    expect(ordering.received.length).toBe(before);
  });

  it('refuses an id that is not a UUID with 400 problem+json, asking nobody', async () => {
    const before = ordering.received.length + payment.received.length;
    const response = await details('not-an-id');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'GATEWAY_INVALID_PARAMETER' });
    expect(ordering.received.length + payment.received.length).toBe(before);
  });

  it('still lets the proxy route forward the order itself', async () => {
    const response = await fetch(`${gateway.url}/api/orders/${orderId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(ordering.received.at(-1)?.url).toBe(`/orders/${orderId}`);
  });
});
