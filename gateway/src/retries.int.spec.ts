import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayOptions } from './app.ts';
import type { GatewayRoute } from './route-table.ts';
import { startTestBackend, type BackendHandler, type TestBackend } from './testing/test-backend.ts';
import { startTestGateway, type TestGateway } from './testing/test-gateway.ts';

const routes: GatewayRoute[] = [{ prefix: '/api/catalog', upstream: 'catalog', access: 'public', deadlineMs: 2_000 }];

let first: TestBackend;
let second: TestBackend;
let gateway: TestGateway | undefined;

beforeEach(async () => {
  first = await startTestBackend('first');
  second = await startTestBackend('second');
});

afterEach(async () => {
  await gateway?.close();
  await Promise.all([first.close(), second.close()]);
});

async function start(options: Partial<GatewayOptions> = {}): Promise<TestGateway> {
  gateway = await startTestGateway({
    upstreams: { catalog: [first.url, second.url] },
    upstreamPolicies: { catalog: { balancing: 'round-robin' } },
    routes,
    ...options,
  });
  return gateway;
}

const unavailable: BackendHandler = (_request, response) => {
  response.statusCode = 503;
  response.end('draining');
};

describe('retries', () => {
  it('lets an idempotent GET survive one instance dying, on the other instance', async () => {
    const { url } = await start();
    await second.kill();
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${url}/api/catalog/products`)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((answer) => answer.headers.get('x-backend')))).toEqual(new Set(['first']));
    expect(
      await gateway!.metric('gateway_retries_total', { upstream: 'catalog', outcome: 'sent' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('retries a GET answered 503 on the other instance', async () => {
    const { url } = await start();
    second.handle = unavailable;
    for (let index = 0; index < 6; index++) {
      const answer = await fetch(`${url}/api/catalog/products`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-backend')).toBe('first');
    }
    expect(second.received.length).toBeGreaterThanOrEqual(1);
  });

  it('never retries a POST: it reaches one instance once, and its 503 is the answer', async () => {
    const { url } = await start();
    first.handle = unavailable;
    second.handle = unavailable;
    const answer = await fetch(`${url}/api/catalog/orders`, { method: 'POST', body: '{"sku":"A-1"}' });
    expect(answer.status).toBe(503);
    expect(first.received.length + second.received.length).toBe(1);
  });

  it('never retries a POST to a dead instance: the caller hears 503 naming the service', async () => {
    const { url } = await start();
    await second.kill();
    const answers = [];
    for (let index = 0; index < 2; index++) {
      answers.push(await fetch(`${url}/api/catalog/orders`, { method: 'POST', body: `{"n":${index}}` }));
    }
    // Round robin sends one of the two to the dead instance; nothing resends it.
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 503]);
    const failed = answers.find((answer) => answer.status === 503)!;
    expect(await failed.json()).toMatchObject({ code: 'GATEWAY_UPSTREAM_UNAVAILABLE', service: 'catalog' });
    expect(first.received.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('retries a POST that carries an Idempotency-Key, body and key intact', async () => {
    const { url } = await start();
    second.handle = unavailable;
    first.handle = unavailable;
    const answer = await fetch(`${url}/api/catalog/orders`, {
      method: 'POST',
      headers: { 'idempotency-key': 'order-7', 'content-type': 'application/json' },
      body: '{"sku":"A-1"}',
    });
    expect(answer.status).toBe(503);
    const posts = [...first.received, ...second.received];
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      expect(post.body).toBe('{"sku":"A-1"}');
      expect(post.headers['idempotency-key']).toBe('order-7');
    }
  });

  it('stops retrying once the retry budget is spent', async () => {
    const { url } = await start({ resilience: { retryBudget: { ratio: 0, minRetries: 2, windowMs: 60_000 } } });
    second.handle = unavailable;
    let failures = 0;
    for (let index = 0; index < 12; index++) {
      if ((await fetch(`${url}/api/catalog/products`)).status !== 200) failures += 1;
    }
    // Every request that went to the failing instance first failed, except the two the budget retried.
    expect(failures).toBe(second.received.length - 2);
    expect(failures).toBeGreaterThan(0);
    expect(await gateway!.metric('gateway_retries_total', { upstream: 'catalog', outcome: 'sent' })).toBe(2);
    expect(await gateway!.metric('gateway_retries_total', { upstream: 'catalog', outcome: 'denied' })).toBe(failures);
  });
});
