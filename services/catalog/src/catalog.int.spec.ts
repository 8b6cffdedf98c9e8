import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { migrateMessaging, type Transport } from '@talad/messaging';
import { observeTopic, waitFor, type ObservedTopic } from '@talad/messaging/testing';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { buildCatalogApp } from './app.ts';
import { migrationsDirectory } from './migrations.ts';
import { seedCatalog } from './seed/index.ts';
import { createTestIssuer, type TestIssuer } from '@talad/auth/testing';

/** The catalog through its HTTP API, on a real seeded database with a real message log. */
let db: TestDatabase;
let messageLog: TestDatabase;
let transport: Transport;
let issuer: TestIssuer;
let app: ServiceApp;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'catalog_http', migrations: migrationsDirectory });
  await migrateMessaging(db.pool);
  await seedCatalog(db.pool, { log: () => undefined });
  messageLog = await createTestDatabase({ prefix: 'catalog_log' });
  transport = createPostgresTransport({ url: messageLog.url });
  issuer = await createTestIssuer();
  app = await buildCatalogApp({
    pool: db.pool,
    transport,
    verifier: issuer.verifier,
    logger: createLogger({ service: 'catalog', level: 'silent' }),
  });
});

afterAll(async () => {
  await app.close();
  await transport.close();
  await db.drop();
  await messageLog.drop();
});

describe('catalog HTTP API', () => {
  it('searches with typo tolerance and answers in the published shape', async () => {
    const response = await app.inject('/products?q=addidas%20nmd&pageSize=5');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.items).toHaveLength(5);
    expect(body.items[0]).toMatchObject({ brand: 'Adidas', price: { currency: 'THB' } });
    expect(body.items[0].name).toMatch(/NMD/);
    expect(body.facets.brands[0]).toMatchObject({ value: 'Adidas' });
  });

  it('returns one product by id and 404 for an unknown id', async () => {
    const { items } = (await app.inject('/products?pageSize=1')).json();
    const found = await app.inject(`/products/${items[0].id}`);
    expect(found.statusCode).toBe(200);
    expect(found.json().id).toBe(items[0].id);
    const missing = await app.inject('/products/0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('CATALOG_PRODUCT_NOT_FOUND');
  });

  it.each([
    ['pageSize=100000', 'pageSize'],
    ['pageSize=0', 'pageSize'],
    ['page=-1', 'page'],
    ['page=1.5', 'page'],
    ['minPrice=12abc', 'minPrice'],
    ['sort=cheapest', 'sort'],
    ['colour=red', 'colour'],
    [`q=${'a'.repeat(500)}`, 'q'],
  ])('answers %s with 400 problem+json naming %s', async (query, parameter) => {
    const response = await app.inject(`/products?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors.map((error: { name: string }) => error.name)).toContain(parameter);
  });

  it('answers a malformed product id with 400 naming id', async () => {
    const response = await app.inject('/products/not-a-uuid');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ in: 'params', name: 'id' });
  });

  it.each(["'; DROP TABLE products; --", '%_%', '.*', '(nmd', ':*&|!', '\\'])(
    'searches %s as plain text, never a 500',
    async (text) => {
      const response = await app.inject(`/products?q=${encodeURIComponent(text)}`);
      expect(response.statusCode).toBe(200);
      expect(response.json().total).toBeGreaterThanOrEqual(0);
    },
  );

  it('pages through every product in id order with the snapshot, ending with next null', async () => {
    const total = (await app.inject('/products?pageSize=1')).json().total;
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const url: string = `/products/snapshot?limit=1000${after ? `&after=${after}` : ''}`;
      const response = await app.inject(url);
      expect(response.statusCode).toBe(200);
      const page = response.json<{ items: Array<{ id: string; price: { currency: string } }>; next: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(1000);
      if (page.next) expect(page.next).toBe(page.items.at(-1)?.id);
      ids.push(...page.items.map((item) => item.id));
      after = page.next;
      pages++;
    } while (after && pages < 100);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect([...ids].sort()).toEqual(ids);

    const small = (await app.inject(`/products/snapshot?limit=2&after=${ids[0]}`)).json();
    expect(small.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(1, 3));
    expect(small.next).toBe(ids[2]);
    const last = (await app.inject(`/products/snapshot?after=${ids.at(-2)}`)).json();
    expect(last).toMatchObject({ items: [{ id: ids.at(-1) }], next: null });
    expect((await app.inject('/products/snapshot?limit=1')).json().items[0].id).toBe(ids[0]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['after=not-a-uuid', 'after'],
    ['since=x', 'since'],
  ])('answers the snapshot with %s with 400 problem+json naming %s', async (query, parameter) => {
    const response = await app.inject(`/products/snapshot?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors.map((error: { name: string }) => error.name)).toContain(parameter);
  });

  it('is ready while its database answers', async () => {
    const response = await app.inject('/health/ready');
    expect(response.statusCode).toBe(200);
    expect(response.json().checks.database.status).toBe('up');
  });
});

describe('catalog administration', () => {
  const draft = {
    sku: 'SNK-TST-000001',
    name: 'Test Runner Sneakers',
    description: 'Made for the test.',
    brand: 'Testbrand',
    category: 'Sneakers',
    price: { amount: 129_000, currency: 'THB' },
    sizes: ['41', '42'],
  };

  // Another service's view: a consumer group on the catalog's topic, through the real message log.
  let events: ObservedTopic;
  beforeAll(async () => {
    events = await observeTopic(transport, 'catalog.events');
  });
  const publishedTypes = (): string[] => events.messages.map((message) => message.type);

  it('refuses anonymous callers with 401 and customers with 403', async () => {
    const anonymous = await app.inject({ method: 'POST', url: '/products', payload: draft });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain('Bearer');
    const customer = await issuer.tokenFor({ sub: 'u-1', roles: ['customer'] });
    const forbidden = await app.inject({
      method: 'POST',
      url: '/products',
      payload: draft,
      headers: { authorization: `Bearer ${customer}` },
    });
    expect(forbidden.statusCode).toBe(403);
    expect(publishedTypes()).toEqual([]);
  });

  it('creates, changes and deletes a product, publishing each change as an event', async () => {
    const admin = { authorization: `Bearer ${await issuer.tokenFor({ sub: 'admin-1', roles: ['admin'] })}` };
    const created = await app.inject({ method: 'POST', url: '/products', payload: draft, headers: admin });
    expect(created.statusCode).toBe(201);
    const product = created.json<{ id: string; price: { amount: number } }>();
    expect(product.price.amount).toBe(129_000);

    const duplicate = await app.inject({ method: 'POST', url: '/products', payload: draft, headers: admin });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('CATALOG_SKU_TAKEN');

    // The admin command line's machine client changes prices through its scope.
    const client = {
      authorization: `Bearer ${await issuer.tokenFor({ sub: 'talad-admin', client_id: 'talad-admin', scope: 'catalog:write' })}`,
    };
    const changed = await app.inject({
      method: 'PATCH',
      url: `/products/${product.id}`,
      payload: { price: { amount: 99_000, currency: 'THB' } },
      headers: client,
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().price.amount).toBe(99_000);
    const found = (await app.inject('/products?q=test%20runner')).json();
    expect(found.items[0]).toMatchObject({ id: product.id, price: { amount: 99_000 } });

    expect((await app.inject({ method: 'DELETE', url: `/products/${product.id}`, headers: admin })).statusCode).toBe(
      204,
    );
    expect((await app.inject(`/products/${product.id}`)).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/products/${product.id}`, headers: admin })).statusCode).toBe(
      404,
    );

    await waitFor('three catalog events', () => publishedTypes().length >= 3);
    expect(publishedTypes()).toEqual([
      'catalog.ProductCreated.v1',
      'catalog.ProductUpdated.v1',
      'catalog.ProductDeleted.v1',
    ]);
  });

  it('answers a bad product with 400 naming the field, and changes nothing', async () => {
    const admin = { authorization: `Bearer ${await issuer.tokenFor({ sub: 'admin-1', roles: ['admin'] })}` };
    const before = (await app.inject('/products?pageSize=1')).json().total;
    const response = await app.inject({
      method: 'POST',
      url: '/products',
      payload: { ...draft, sku: 'bad sku', price: { amount: -5, currency: 'THB' } },
      headers: admin,
    });
    expect(response.statusCode).toBe(400);
    const names = response.json().errors.map((error: { name: string }) => error.name);
    expect(names).toEqual(expect.arrayContaining(['sku', 'price.amount']));
    expect((await app.inject('/products?pageSize=1')).json().total).toBe(before);
  });

  it('shows dead letters to operators only', async () => {
    const customer = await issuer.tokenFor({ sub: 'u-1', roles: ['customer'] });
    expect(
      (await app.inject({ url: '/admin/dead-letters', headers: { authorization: `Bearer ${customer}` } })).statusCode,
    ).toBe(403);
    const admin = await issuer.tokenFor({ sub: 'admin-1', roles: ['admin'] });
    const listed = await app.inject({ url: '/admin/dead-letters', headers: { authorization: `Bearer ${admin}` } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toEqual([]);
  });
});
