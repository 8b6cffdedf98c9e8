import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRateLimiter } from './redis-rate-limiter.ts';
import { connectRedis } from './redis.ts';
import type { GatewayRoute, RateLimitPolicy } from './route-table.ts';
import { startTestBackend, type TestBackend } from './testing/test-backend.ts';
import { startTestGateway, type TestGateway } from './testing/test-gateway.ts';
import { startTestTokenIssuer, type TestTokenIssuer } from './testing/test-token-issuer.ts';

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
// A bucket that refills too slowly for a test to notice: what is spent stays spent.
const strict: RateLimitPolicy = { name: 'strict', burst: 3, perSecond: 0.2 };
const routes: GatewayRoute[] = [
  { prefix: '/api/catalog', upstream: 'catalog', access: 'public', deadlineMs: 2_000, rateLimit: strict },
];

let backend: TestBackend;
let issuer: TestTokenIssuer;
const closing: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  backend = await startTestBackend('catalog');
  issuer = await startTestTokenIssuer();
});

afterAll(async () => {
  for (const item of closing) await item.close();
  await Promise.all([backend.close(), issuer.close()]);
});

async function gatewayWith(options: Partial<Parameters<typeof startTestGateway>[0]> = {}): Promise<TestGateway> {
  const gateway = await startTestGateway({
    upstreams: { catalog: backend.url },
    routes,
    verifier: issuer.verifier(),
    ...options,
  });
  closing.push(gateway);
  return gateway;
}

/** Status codes of `count` GETs in a row; `from` sends them from another loopback address, as another client. */
async function statuses(
  url: string,
  count: number,
  options: { headers?: Record<string, string>; from?: string } = {},
): Promise<number[]> {
  const seen: number[] = [];
  for (let index = 0; index < count; index++) {
    seen.push(
      await new Promise<number>((resolve, reject) => {
        const outgoing = request(
          url,
          { headers: options.headers, localAddress: options.from ?? '127.0.0.1' },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          },
        );
        outgoing.on('error', reject).end();
      }),
    );
  }
  return seen;
}

describe('rate limits in memory', () => {
  it('answers 429 problem+json with Retry-After once the bucket is empty, without calling upstream', async () => {
    const gateway = await gatewayWith();
    const before = backend.received.length;
    expect(await statuses(`${gateway.url}/api/catalog/products`, 3)).toEqual([200, 200, 200]);
    const refused = await fetch(`${gateway.url}/api/catalog/products`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    // One token takes 5 s to come back at 0.2 per second.
    expect(Number(refused.headers.get('retry-after'))).toBe(5);
    expect(await refused.json()).toMatchObject({ code: 'GATEWAY_RATE_LIMITED', retryAfterSeconds: 5 });
    expect(backend.received.length - before).toBe(3);
    expect(await gateway.metric('gateway_rate_limited_total', { route: '/api/catalog' })).toBe(1);
  });

  it('gives each anonymous client address its own bucket', async () => {
    const gateway = await gatewayWith();
    const url = `${gateway.url}/api/catalog/products`;
    expect(await statuses(url, 4, { from: '127.0.0.2' })).toEqual([200, 200, 200, 429]);
    expect(await statuses(url, 4, { from: '127.0.0.3' })).toEqual([200, 200, 200, 429]);
  });

  it('gives each signed-in caller their own bucket, wherever they call from', async () => {
    const gateway = await gatewayWith();
    const url = `${gateway.url}/api/catalog/products`;
    const alice = { authorization: `Bearer ${await issuer.userToken('alice', ['customer'])}` };
    const bob = { authorization: `Bearer ${await issuer.userToken('bob', ['customer'])}` };
    expect(await statuses(url, 2, { headers: alice, from: '127.0.0.4' })).toEqual([200, 200]);
    expect(await statuses(url, 2, { headers: alice, from: '127.0.0.5' })).toEqual([200, 429]);
    expect(await statuses(url, 4, { headers: bob, from: '127.0.0.4' })).toEqual([200, 200, 200, 429]);
    // The anonymous bucket of that address is untouched by the signed-in callers who used it.
    expect(await statuses(url, 1, { from: '127.0.0.4' })).toEqual([200]);
  });
});

describe('rate limits in Redis', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectRedis(redisUrl);
    closing.push({
      close: async () => {
        await redis.quit();
      },
    });
  });

  it('holds one limit across two gateway instances', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const one = await gatewayWith({ rateLimiter: createRedisRateLimiter({ redis, keyPrefix }) });
    const two = await gatewayWith({ rateLimiter: createRedisRateLimiter({ redis, keyPrefix }) });
    const path = '/api/catalog/products';
    expect((await fetch(`${one.url}${path}`)).status).toBe(200);
    expect((await fetch(`${two.url}${path}`)).status).toBe(200);
    expect((await fetch(`${one.url}${path}`)).status).toBe(200);
    const refused = await fetch(`${two.url}${path}`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${one.url}${path}`)).status).toBe(429);
    // The bucket lives in Redis, with an expiry: a full bucket needs no key.
    const keys = await redis.keys(`${keyPrefix}*`);
    expect(keys).toEqual([`${keyPrefix}strict|ip:127.0.0.1`]);
    expect(await redis.pttl(keys[0]!)).toBeGreaterThan(0);
  });

  it('refills at the policy rate, by Redis time', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const limiter = createRedisRateLimiter({ redis, keyPrefix });
    const quick: RateLimitPolicy = { name: 'quick', burst: 1, perSecond: 20 };
    expect(await limiter.take('caller', quick)).toEqual({ allowed: true });
    const refused = await limiter.take('caller', quick);
    expect(refused.allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await limiter.take('caller', quick)).toEqual({ allowed: true });
  });

  it('lets requests through when Redis cannot be reached, and counts the failures', async () => {
    const unreachable = await connectRedis('redis://127.0.0.1:1', { readyTimeoutMs: 200 });
    closing.push({ close: async () => unreachable.disconnect() });
    const gateway = await gatewayWith({ redis: unreachable });
    expect(await statuses(`${gateway.url}/api/catalog/products`, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(await gateway.metric('gateway_redis_errors_total', { component: 'rate-limit' })).toBe(5);
  });
});
