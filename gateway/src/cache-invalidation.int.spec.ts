import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProductCreated, ProductDeleted, ProductUpdated, type Product } from '@talad/contracts-catalog';
import { createMessaging, migrateMessaging, type Messaging } from '@talad/messaging';
import { createPostgresTransport, type PostgresTransport } from '@talad/messaging-postgres';
import { createLogger } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { connectRedis } from './redis.ts';
import type { GatewayRoute } from './route-table.ts';
import { startTestBackend, type TestBackend } from './testing/test-backend.ts';
import { startTestGateway, type TestGateway } from './testing/test-gateway.ts';

// Long enough that only an invalidation, never expiry, can explain a fresh answer within a test.
const routes: GatewayRoute[] = [
  { prefix: '/api/catalog', upstream: 'catalog', access: 'public', deadlineMs: 2_000, cache: { ttlSeconds: 600 } },
];

let catalogDb: TestDatabase;
let messageLog: TestDatabase;
let transport: PostgresTransport;
let catalogEvents: Messaging;
let catalog: TestBackend;
/** The catalog stand-in's products, by id: what it answers now. */
const products = new Map<string, Product>();
const closing: Array<() => Promise<unknown>> = [];

function product(overrides: Partial<Product> = {}): Product {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    sku: `TST-${randomUUID().slice(0, 8).toUpperCase()}`,
    name: 'Test Runner',
    description: '',
    brand: 'Talad',
    category: 'Sneakers',
    price: { amount: 129_000, currency: 'THB' },
    sizes: [],
    imageUrl: '',
    rating: null,
    ratingCount: 0,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

beforeAll(async () => {
  messageLog = await createTestDatabase({ prefix: 'gateway_invalidation_log' });
  transport = createPostgresTransport({ url: messageLog.url });
  // The catalog stand-in publishes as catalog does: through its own outbox and relay.
  catalogDb = await createTestDatabase({ prefix: 'gateway_invalidation_catalog' });
  await migrateMessaging(catalogDb.pool);
  catalogEvents = createMessaging({
    service: 'catalog',
    pool: catalogDb.pool,
    transport,
    logger: createLogger({ service: 'catalog', level: 'silent' }),
  });
  await catalogEvents.start();
  catalog = await startTestBackend('catalog');
  catalog.handle = (request, response) => {
    response.setHeader('content-type', 'application/json');
    const path = request.url.split('?')[0] ?? '';
    const id = /^\/products\/([^/]+)$/.exec(path)?.[1];
    if (id === undefined) {
      response.end(JSON.stringify({ items: [...products.values()], total: products.size }));
      return;
    }
    const found = products.get(id);
    response.statusCode = found ? 200 : 404;
    response.end(JSON.stringify(found ?? { code: 'CATALOG_PRODUCT_NOT_FOUND' }));
  };
});

afterAll(async () => {
  for (const close of closing.reverse()) await close();
  await catalogEvents.stop();
  await catalog.close();
  await transport.close();
  await catalogDb.drop();
  await messageLog.drop();
});

/** Changes the stand-in's product and publishes the change, in one transaction, as catalog does. */
async function changePrice(id: string, amount: number): Promise<void> {
  const changed: Product = { ...products.get(id)!, price: { amount, currency: 'THB' } };
  await catalogEvents.transaction(async (tx) => {
    products.set(id, changed);
    await catalogEvents.publish(tx, ProductUpdated, { product: changed, changed: ['price'] }, { key: id });
  });
}

async function get(gateway: TestGateway, path: string): Promise<{ cache: string | null; body: unknown }> {
  const response = await fetch(`${gateway.url}${path}`);
  expect(response.status).toBe(200);
  return { cache: response.headers.get('x-cache'), body: await response.json() };
}

async function startGateway(options: { group: string; redis?: Redis; redisKeyPrefix?: string }): Promise<TestGateway> {
  const gateway = await startTestGateway({
    upstreams: { catalog: catalog.url },
    routes,
    invalidation: { transport, group: options.group },
    ...(options.redis ? { redis: options.redis, redisKeyPrefix: options.redisKeyPrefix } : {}),
  });
  closing.push(() => gateway.close());
  // Subscribed once the group's consumer says so; events published before that are not its business.
  await vi.waitFor(() => expect(gateway.logs.some((line) => line['group'] === options.group)).toBe(true), {
    timeout: 10_000,
  });
  return gateway;
}

/** The gateway's first answer that passes `check`, polling quickly; far inside the 600 s TTL. */
async function answerWhen(
  gateway: TestGateway,
  path: string,
  check: (body: unknown) => void,
): Promise<{ cache: string | null; body: unknown }> {
  return vi.waitFor(
    async () => {
      const answer = await get(gateway, path);
      check(answer.body);
      return answer;
    },
    { timeout: 10_000, interval: 20 },
  );
}

const priceOf = (body: unknown): number | undefined => (body as Product).price.amount;
const listedPriceOf = (body: unknown, id: string): number | undefined =>
  (body as { items: Product[] }).items.find((item) => item.id === id)?.price.amount;

/** The scenario both stores pass: a cached page and search answer change with the product, nothing else. */
async function priceChangeReachesCachedAnswers(one: TestGateway, two: TestGateway = one): Promise<void> {
  const changed = product();
  const untouched = product({ name: 'Other Shoe' });
  products.set(changed.id, changed);
  products.set(untouched.id, untouched);
  const page = `/api/catalog/products/${changed.id}`;
  const search = `/api/catalog/products?q=${changed.sku}`;
  const other = `/api/catalog/products/${untouched.id}`;
  for (const path of [page, search, other]) {
    expect((await get(one, path)).cache).toBe('miss');
    expect((await get(two, path)).cache).toBe('hit');
  }

  await changePrice(changed.id, 99_000);

  const fresh = await answerWhen(one, page, (body) => expect(priceOf(body)).toBe(99_000));
  expect(fresh.cache).toBe('miss');
  const found = await answerWhen(one, search, (body) => expect(listedPriceOf(body, changed.id)).toBe(99_000));
  expect(found.cache).toBe('miss');
  if (two !== one) {
    expect(priceOf((await get(two, page)).body)).toBe(99_000);
    expect(listedPriceOf((await get(two, search)).body, changed.id)).toBe(99_000);
  }
  // Other products' pages are not touched by the change.
  expect((await get(one, other)).cache).toBe('hit');
  expect((await get(two, other)).cache).toBe('hit');
  expect(catalog.received.filter((request) => request.url === `/products/${untouched.id}`)).toHaveLength(1);
}

describe('cache invalidation by catalog events (PostgreSQL message log)', () => {
  it('serves the new price right after ProductUpdated, from a miss, without waiting for the TTL', async () => {
    const gateway = await startGateway({ group: 'gateway-cache-test-1' });
    const shoe = product();
    products.set(shoe.id, shoe);
    const page = `/api/catalog/products/${shoe.id}`;
    expect((await get(gateway, page)).cache).toBe('miss');
    expect(await get(gateway, page)).toEqual({ cache: 'hit', body: shoe });

    await changePrice(shoe.id, 79_000);

    await vi.waitFor(
      async () => {
        const answer = await get(gateway, page);
        expect(answer.cache).toBe('miss');
        expect(answer.body).toMatchObject({ price: { amount: 79_000 } });
      },
      { timeout: 10_000, interval: 20 },
    );
    expect((await get(gateway, page)).cache).toBe('hit');
    expect(await gateway.metric('gateway_cache_invalidations_total', { upstream: 'catalog' })).toBeGreaterThanOrEqual(
      1,
    );
  });

  it('drops the changed product page and every search answer, and keeps other products cached', async () => {
    const gateway = await startGateway({ group: 'gateway-cache-test-2' });
    await priceChangeReachesCachedAnswers(gateway);
  });

  it('invalidates on ProductCreated and ProductDeleted too', async () => {
    const gateway = await startGateway({ group: 'gateway-cache-test-3' });
    const search = '/api/catalog/products?q=any';
    const before = (await get(gateway, search)).body as { total: number };
    const added = product();
    await catalogEvents.transaction(async (tx) => {
      products.set(added.id, added);
      await catalogEvents.publish(tx, ProductCreated, { product: added }, { key: added.id });
    });
    await answerWhen(gateway, search, (body) => expect(body).toMatchObject({ total: before.total + 1 }));
    await catalogEvents.transaction(async (tx) => {
      products.delete(added.id);
      await catalogEvents.publish(tx, ProductDeleted, { productId: added.id, sku: added.sku }, { key: added.id });
    });
    await answerWhen(gateway, search, (body) => expect(body).toMatchObject({ total: before.total }));
  });

  it('gives every in-memory gateway its own group, so each one hears every change', async () => {
    const one = await startGateway({ group: 'gateway-cache-test-a' });
    const two = await startGateway({ group: 'gateway-cache-test-b' });
    const shoe = product();
    products.set(shoe.id, shoe);
    const page = `/api/catalog/products/${shoe.id}`;
    for (const gateway of [one, two]) {
      await get(gateway, page);
      expect((await get(gateway, page)).cache).toBe('hit');
    }
    await changePrice(shoe.id, 55_000);
    for (const gateway of [one, two]) {
      const fresh = await answerWhen(gateway, page, (body) => expect(priceOf(body)).toBe(55_000));
      expect(fresh.cache).toBe('miss');
    }
  });
});

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redisSkip = await redisMissing(redisUrl);
if (redisSkip) process.stdout.write(`cache-invalidation.int.spec: skipped the Redis store: ${redisSkip}\n`);

/** Why the Redis tests cannot run here; under CI=true nothing may skip, so they run (and fail). */
async function redisMissing(url: string): Promise<string | undefined> {
  if (process.env['CI'] === 'true') return undefined;
  const probe = await connectRedis(url, { readyTimeoutMs: 1_000 });
  const ready = probe.status === 'ready';
  probe.disconnect();
  return ready ? undefined : `no Redis answers at ${url} (set REDIS_URL)`;
}

describe.skipIf(redisSkip !== undefined)('cache invalidation with the Redis cache store', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectRedis(redisUrl);
    expect(redis.status).toBe('ready');
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('lets one gateway of a shared group invalidate for both, the generation living in Redis', async () => {
    const redisKeyPrefix = `test:${randomUUID()}:`;
    // Both join the one group of a shared cache, as in production: each event reaches only one of them.
    const one = await startGateway({ group: 'gateway', redis, redisKeyPrefix });
    const two = await startGateway({ group: 'gateway', redis, redisKeyPrefix });
    await priceChangeReachesCachedAnswers(one, two);
    expect(await redis.get(`${redisKeyPrefix}cache:generation:catalog`)).not.toBeNull();
  });
});
