import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayRoute } from './route-table.ts';
import { startTestBackend, type TestBackend } from './testing/test-backend.ts';
import { startTestGateway, type TestGateway } from './testing/test-gateway.ts';
import { startTestTokenIssuer, type TestTokenIssuer } from './testing/test-token-issuer.ts';

const routes: GatewayRoute[] = [
  { prefix: '/api/catalog/admin', upstream: 'catalog', upstreamPrefix: '/admin', access: 'admin', deadlineMs: 2_000 },
  { prefix: '/api/catalog', methods: ['GET', 'HEAD'], upstream: 'catalog', access: 'public', deadlineMs: 2_000 },
  { prefix: '/api/catalog', upstream: 'catalog', access: ['admin', { scope: 'catalog:write' }], deadlineMs: 2_000 },
  { prefix: '/api/basket', upstream: 'basket', access: 'customer', deadlineMs: 2_000 },
  { prefix: '/api/stock', upstream: 'basket', access: { scope: 'stock:read' }, deadlineMs: 2_000 },
];

let issuer: TestTokenIssuer;
let catalog: TestBackend;
let basket: TestBackend;
let gateway: TestGateway;

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  catalog = await startTestBackend('catalog');
  basket = await startTestBackend('basket');
  gateway = await startTestGateway({
    upstreams: { catalog: catalog.url, basket: basket.url },
    routes,
    verifier: issuer.verifier(),
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([catalog.close(), basket.close(), issuer.close()]);
});

async function call(path: string, token?: string): Promise<Response> {
  return fetch(`${gateway.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

describe('gateway authorization', () => {
  it('refuses a customer route without a token with 401 and a Bearer challenge, never calling upstream', async () => {
    const before = basket.received.length;
    const response = await call('/api/basket/mine');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="talad"');
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 401, code: 'GATEWAY_UNAUTHENTICATED' });
    expect(basket.received.length).toBe(before);
  });

  it('refuses a forged or expired token with 401 invalid_token', async () => {
    for (const token of [
      await issuer.forgedToken('mallory'),
      await issuer.userToken('u-9', ['customer'], { expiresIn: '-1m' }),
      'not-a-jwt',
    ]) {
      const response = await call('/api/basket/mine', token);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="talad", error="invalid_token"');
    }
  });

  it('forwards a signed-in customer to the service with the Authorization header unchanged', async () => {
    const token = await issuer.userToken('u-1', ['customer']);
    const response = await call('/api/basket/mine', token);
    expect(response.status).toBe(200);
    expect(basket.received.at(-1)).toMatchObject({ url: '/mine', headers: { authorization: `Bearer ${token}` } });
  });

  it('refuses a customer on an admin route with 403, and lets an administrator through', async () => {
    const customer = await call('/api/catalog/admin/products', await issuer.userToken('u-1', ['customer']));
    expect(customer.status).toBe(403);
    expect(await customer.json()).toMatchObject({ code: 'GATEWAY_FORBIDDEN' });

    const admin = await call('/api/catalog/admin/products', await issuer.userToken('a-1', ['customer', 'admin']));
    expect(admin.status).toBe(200);
    expect(catalog.received.at(-1)?.url).toBe('/admin/products');
  });

  it('applies each entry to its own methods: reads for all, writes for admins or clients with the scope', async () => {
    const post = (token?: string) =>
      fetch(`${gateway.url}/api/catalog/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: '{"name":"Sneaker"}',
      });
    expect((await call('/api/catalog/products')).status).toBe(200);
    expect((await post()).status).toBe(401);
    expect((await post(await issuer.userToken('u-1', ['customer']))).status).toBe(403);
    expect((await post(await issuer.userToken('a-1', ['admin']))).status).toBe(200);
    expect((await post(await issuer.clientToken('seed', ['catalog:write']))).status).toBe(200);
    expect(catalog.received.filter((request) => request.method === 'POST')).toHaveLength(2);
  });

  it('lets a client with the scope through and refuses one without it, and people', async () => {
    expect((await call('/api/stock/levels', await issuer.clientToken('ordering', ['stock:read']))).status).toBe(200);
    expect((await call('/api/stock/levels', await issuer.clientToken('shipping', ['rates:read']))).status).toBe(403);
    expect((await call('/api/stock/levels', await issuer.userToken('a-1', ['admin']))).status).toBe(403);
  });

  it('serves public routes to anyone, treating a bad token there as no token, as the services do', async () => {
    expect((await call('/api/catalog/products')).status).toBe(200);
    const forged = await issuer.forgedToken('mallory');
    const response = await call('/api/catalog/products', forged);
    expect(response.status).toBe(200);
    const line = gateway.logs.find((entry) => entry['reqId'] === response.headers.get('x-request-id'));
    expect(line).not.toHaveProperty('caller');
  });

  it('answers 503, not 401, when the issuer’s keys cannot be fetched to check a token', async () => {
    const otherIssuer = await startTestTokenIssuer();
    const token = await otherIssuer.userToken('u-1', ['customer']);
    const verifier = otherIssuer.verifier();
    await otherIssuer.close();
    const cut = await startTestGateway({ upstreams: { catalog: catalog.url, basket: basket.url }, routes, verifier });
    try {
      const response = await fetch(`${cut.url}/api/basket/mine`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: 'GATEWAY_AUTH_UNAVAILABLE' });
    } finally {
      await cut.close();
    }
  });

  it('names the caller in the access log line, never the token', async () => {
    const token = await issuer.userToken('u-42', ['customer']);
    const response = await call('/api/basket/mine', token);
    const requestId = response.headers.get('x-request-id');
    const line = gateway.logs.find((entry) => entry['msg'] === 'request' && entry['reqId'] === requestId);
    expect(line).toMatchObject({ caller: 'user:u-42', statusCode: 200, url: '/api/basket/mine' });
    expect(JSON.stringify(gateway.logs)).not.toContain(token);
  });

  it('keeps every non-public route closed when no verifier is configured', async () => {
    const bare = await startTestGateway({ upstreams: { catalog: catalog.url, basket: basket.url }, routes });
    try {
      const token = await issuer.userToken('u-1', ['customer']);
      expect(
        (await fetch(`${bare.url}/api/basket/mine`, { headers: { authorization: `Bearer ${token}` } })).status,
      ).toBe(401);
      expect((await fetch(`${bare.url}/api/catalog/products`)).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});
