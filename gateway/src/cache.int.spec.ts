import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisCacheStore } from './redis-cache-store.ts';
import { connectRedis } from './redis.ts';
import { createResponseCache, type ResponseCache } from './response-cache.ts';
import type { GatewayRoute } from './route-table.ts';
import { answerOk, startTestBackend, type TestBackend } from './testing/test-backend.ts';
import { startTestGateway, type TestGateway } from './testing/test-gateway.ts';
import { startTestTokenIssuer, type TestTokenIssuer } from './testing/test-token-issuer.ts';

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const routes: GatewayRoute[] = [
  { prefix: '/api/catalog', upstream: 'catalog', access: 'public', deadlineMs: 2_000, cache: { ttlSeconds: 60 } },
  { prefix: '/api/orders', upstream: 'catalog', access: 'customer', deadlineMs: 2_000, cache: { ttlSeconds: 60 } },
  { prefix: '/api/brief', upstream: 'catalog', access: 'public', deadlineMs: 2_000, cache: { ttlSeconds: 1 } },
];

let backend: TestBackend;
let issuer: TestTokenIssuer;
let cache: ResponseCache;
let gateway: TestGateway;
const closing: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  backend = await startTestBackend('catalog');
  issuer = await startTestTokenIssuer();
  cache = createResponseCache();
  gateway = await startTestGateway({ upstreams: { catalog: backend.url }, routes, cache, verifier: issuer.verifier() });
});

beforeEach(() => {
  backend.handle = answerOk('catalog');
});

afterAll(async () => {
  for (const item of closing) await item.close();
  await gateway.close();
  await Promise.all([backend.close(), issuer.close()]);
});

/** How many requests for `path` reached the backend. */
function upstreamCalls(path: string): number {
  return backend.received.filter((request) => request.url === path).length;
}

describe('response cache', () => {
  it('answers a repeated GET from the cache: miss, then hit with an Age', async () => {
    const first = await fetch(`${gateway.url}/api/catalog/products/1`);
    expect(first.headers.get('x-cache')).toBe('miss');
    const second = await fetch(`${gateway.url}/api/catalog/products/1`);
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(second.headers.get('age')).toMatch(/^\d+$/);
    expect(second.headers.get('content-type')).toBe('application/json');
    expect(await second.json()).toEqual(await first.json());
    expect(upstreamCalls('/products/1')).toBe(1);
  });

  it('keys entries by query string', async () => {
    await fetch(`${gateway.url}/api/catalog/products?q=shoe`);
    const other = await fetch(`${gateway.url}/api/catalog/products?q=shirt`);
    expect(other.headers.get('x-cache')).toBe('miss');
    expect((await fetch(`${gateway.url}/api/catalog/products?q=shoe`)).headers.get('x-cache')).toBe('hit');
    expect(upstreamCalls('/products?q=shoe')).toBe(1);
    expect(upstreamCalls('/products?q=shirt')).toBe(1);
  });

  it('answers If-None-Match with the current ETag by 304 and no body, without calling upstream', async () => {
    const first = await fetch(`${gateway.url}/api/catalog/products/2`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const revalidated = await fetch(`${gateway.url}/api/catalog/products/2`, { headers: { 'if-none-match': etag! } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(await revalidated.text()).toBe('');
    const changed = await fetch(`${gateway.url}/api/catalog/products/2`, { headers: { 'if-none-match': '"other"' } });
    expect(changed.status).toBe(200);
    expect(upstreamCalls('/products/2')).toBe(1);
  });

  it('coalesces 10 concurrent misses into exactly one upstream call', async () => {
    backend.handle = (request, response) => setTimeout(() => answerOk('catalog')(request, response), 200);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => fetch(`${gateway.url}/api/catalog/products?q=popular`)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    const bodies = await Promise.all(answers.map((answer) => answer.json()));
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(upstreamCalls('/products?q=popular')).toBe(1);
  });

  it('forgets everything under an invalidated prefix, and only that', async () => {
    await fetch(`${gateway.url}/api/catalog/products/3`);
    await fetch(`${gateway.url}/api/catalog/products/3?view=full`);
    await fetch(`${gateway.url}/api/catalog/categories`);
    expect(await cache.invalidate('/api/catalog/products/3')).toBe(2);
    expect((await fetch(`${gateway.url}/api/catalog/products/3`)).headers.get('x-cache')).toBe('miss');
    expect((await fetch(`${gateway.url}/api/catalog/categories`)).headers.get('x-cache')).toBe('hit');
    expect(upstreamCalls('/products/3')).toBe(2);
  });

  it('never stores an error, nor an answer marked no-store or private', async () => {
    backend.handle = (request, response) => {
      if (request.url === '/missing') response.statusCode = 404;
      if (request.url === '/secret') response.setHeader('cache-control', 'private, max-age=60');
      if (request.url === '/volatile') response.setHeader('cache-control', 'no-store');
      response.end('{}');
    };
    for (const path of ['/missing', '/secret', '/volatile']) {
      await fetch(`${gateway.url}/api/catalog${path}`);
      const again = await fetch(`${gateway.url}/api/catalog${path}`);
      expect(again.headers.get('x-cache')).toBe('miss');
      expect(upstreamCalls(path)).toBe(2);
    }
  });

  it('revalidates a stale entry with the upstream ETag: 304 from upstream renews it', async () => {
    backend.handle = (request, response) => {
      response.setHeader('etag', '"v1"');
      if (request.headers['if-none-match'] === '"v1"') {
        response.statusCode = 304;
        return response.end();
      }
      response.setHeader('content-type', 'application/json');
      response.end('{"version":1}');
    };
    expect((await fetch(`${gateway.url}/api/brief/rates`)).headers.get('x-cache')).toBe('miss');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const renewed = await fetch(`${gateway.url}/api/brief/rates`);
    expect(renewed.headers.get('x-cache')).toBe('revalidated');
    expect(await renewed.json()).toEqual({ version: 1 });
    expect(backend.received.at(-1)?.headers['if-none-match']).toBe('"v1"');
    expect((await fetch(`${gateway.url}/api/brief/rates`)).headers.get('x-cache')).toBe('hit');
  });

  it('serves a signed-in caller the shared entry of a public route, but stores their own answer only if public', async () => {
    const token = { authorization: `Bearer ${await issuer.userToken('carol', ['customer'])}` };
    await fetch(`${gateway.url}/api/catalog/products/5`);
    expect((await fetch(`${gateway.url}/api/catalog/products/5`, { headers: token })).headers.get('x-cache')).toBe(
      'hit',
    );
    backend.handle = (request, response) => {
      if (request.url === '/products/7') response.setHeader('cache-control', 'public, max-age=60');
      answerOk('catalog')(request, response);
    };
    // Fetched with a token: perhaps that caller's own answer, so anonymous callers do not get it…
    await fetch(`${gateway.url}/api/catalog/products/6`, { headers: token });
    expect((await fetch(`${gateway.url}/api/catalog/products/6`)).headers.get('x-cache')).toBe('miss');
    // …unless the upstream marks it public.
    await fetch(`${gateway.url}/api/catalog/products/7`, { headers: token });
    expect((await fetch(`${gateway.url}/api/catalog/products/7`)).headers.get('x-cache')).toBe('hit');
  });

  it('keeps one entry per caller on an authenticated route', async () => {
    const alice = { authorization: `Bearer ${await issuer.userToken('alice', ['customer'])}` };
    const bob = { authorization: `Bearer ${await issuer.userToken('bob', ['customer'])}` };
    expect((await fetch(`${gateway.url}/api/orders/mine`, { headers: alice })).headers.get('x-cache')).toBe('miss');
    expect((await fetch(`${gateway.url}/api/orders/mine`, { headers: bob })).headers.get('x-cache')).toBe('miss');
    expect((await fetch(`${gateway.url}/api/orders/mine`, { headers: alice })).headers.get('x-cache')).toBe('hit');
    expect(upstreamCalls('/mine')).toBe(2);
    expect(await gateway.metric('gateway_cache_requests_total', { route: '/api/orders', result: 'hit' })).toBe(1);
  });
});

describe('response cache in Redis', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectRedis(redisUrl);
    closing.push({
      close: async () => {
        await redis.quit();
      },
    });
  });

  it('is shared by two gateway instances, invalidation included', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const shared = (): ResponseCache => createResponseCache({ store: createRedisCacheStore({ redis, keyPrefix }) });
    const cacheOne = shared();
    const one = await startTestGateway({ upstreams: { catalog: backend.url }, routes, cache: cacheOne });
    const two = await startTestGateway({ upstreams: { catalog: backend.url }, routes, cache: shared() });
    closing.push(one, two);
    const path = `/api/catalog/shared/${keyPrefix}`;
    expect((await fetch(`${one.url}${path}`)).headers.get('x-cache')).toBe('miss');
    const fromTwo = await fetch(`${two.url}${path}`);
    expect(fromTwo.headers.get('x-cache')).toBe('hit');
    expect(await fromTwo.json()).toMatchObject({ backend: 'catalog' });
    expect(await cacheOne.invalidate('/api/catalog/shared')).toBe(1);
    expect((await fetch(`${two.url}${path}`)).headers.get('x-cache')).toBe('miss');
    expect(backend.received.filter((request) => request.url === `/shared/${keyPrefix}`)).toHaveLength(2);
  });
});
