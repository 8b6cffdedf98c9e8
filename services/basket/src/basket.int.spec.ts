import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BASKET_LINES, type Basket } from '@talad/contracts-basket';
import { ProductDeleted, ProductUpdated, type Product } from '@talad/contracts-catalog';
import { OrderPlaced } from '@talad/contracts-ordering';
import { newId } from '@talad/core';
import { createMessaging, migrateMessaging, type Messaging, type Transport } from '@talad/messaging';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { buildBasketApp } from './app.ts';
import { createCatalogClient, type CatalogClient } from './catalog/index.ts';
import { migrationsDirectory } from './migrations.ts';
import { startStandInCatalog, type StandInCatalog } from './testing/stand-in-catalog.ts';
import { createTestIssuer, type TestIssuer } from '@talad/auth/testing';

/**
 * The basket through its HTTP API, on a real database, against a real HTTP server standing in for the
 * catalog, with catalog's and ordering's events delivered through a real message log by real producers.
 */
const silent = createLogger({ service: 'basket', level: 'silent' });
let db: TestDatabase;
let messageLog: TestDatabase;
let transport: Transport;
let catalogSide: { db: TestDatabase; messaging: Messaging };
let orderingSide: { db: TestDatabase; messaging: Messaging };
let standIn: StandInCatalog;
let catalogClient: CatalogClient;
let issuer: TestIssuer;
let app: ServiceApp;

/** Another service publishing through its own outbox and relay, as catalog and ordering do. */
async function producer(service: string): Promise<{ db: TestDatabase; messaging: Messaging }> {
  const producerDb = await createTestDatabase({ prefix: `basket_${service}` });
  await migrateMessaging(producerDb.pool);
  const messaging = createMessaging({ service, pool: producerDb.pool, transport, logger: silent });
  await messaging.start();
  return { db: producerDb, messaging };
}

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'basket_http', migrations: migrationsDirectory });
  await migrateMessaging(db.pool);
  messageLog = await createTestDatabase({ prefix: 'basket_log' });
  transport = createPostgresTransport({ url: messageLog.url });
  standIn = await startStandInCatalog();
  catalogClient = createCatalogClient({ baseUrl: standIn.url, timeoutMs: 300 });
  issuer = await createTestIssuer();
  app = await buildBasketApp({
    pool: db.pool,
    transport,
    verifier: issuer.verifier,
    // Delegates, so a test can point the basket at a catalog that is not there at all.
    catalog: { findProduct: (id) => catalogClient.findProduct(id) },
    logger: silent,
  });
  await app.ready();
  catalogSide = await producer('catalog');
  orderingSide = await producer('ordering');
});

afterAll(async () => {
  await app.close();
  for (const side of [catalogSide, orderingSide]) await side.messaging.stop();
  await transport.close();
  await standIn.close();
  for (const database of [db, messageLog, catalogSide.db, orderingSide.db]) await database.drop();
});

let sequence = 0;
function product(overrides: Partial<Product> = {}): Product {
  sequence += 1;
  const created = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const item: Product = {
    id: newId(),
    sku: `SNK-TST-${String(sequence).padStart(6, '0')}`,
    name: `Test Runner ${sequence}`,
    description: 'Made for the test.',
    brand: 'Testbrand',
    category: 'Sneakers',
    price: { amount: 129_000, currency: 'THB' },
    sizes: ['41', '42', '43'],
    imageUrl: `https://img.example/${sequence}.jpg`,
    rating: null,
    ratingCount: 0,
    createdAt: created,
    updatedAt: created,
    ...overrides,
  };
  standIn.products.set(item.id, item);
  return item;
}

interface Shopper {
  id: string;
  headers: { authorization: string };
}
async function shopper(): Promise<Shopper> {
  const id = newId();
  return { id, headers: { authorization: `Bearer ${await issuer.tokenFor({ sub: id, roles: ['customer'] })}` } };
}

const put = (who: Shopper, productId: string, payload: object) =>
  app.inject({ method: 'PUT', url: `/basket/items/${productId}`, payload, headers: who.headers });
const basketOf = async (who: Shopper): Promise<Basket> =>
  (await app.inject({ url: '/basket', headers: who.headers })).json<Basket>();

async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100 && !(await check()); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('basket: putting products in', () => {
  it('is only for signed-in people: 401 without a token', async () => {
    expect((await app.inject('/basket')).statusCode).toBe(401);
    const item = product();
    const response = await app.inject({ method: 'PUT', url: `/basket/items/${item.id}`, payload: { quantity: 1 } });
    expect(response.statusCode).toBe(401);
  });

  it('starts empty, then holds a line priced and named by the catalog at that moment', async () => {
    const who = await shopper();
    expect(await basketOf(who)).toEqual({
      customerId: who.id,
      lines: [],
      subtotal: { amount: 0, currency: 'THB' },
      itemCount: 0,
      updatedAt: null,
    });
    const item = product({ price: { amount: 99_000, currency: 'THB' } });
    const response = await put(who, item.id, { quantity: 2, size: '42' });
    expect(response.statusCode).toBe(200);
    expect(standIn.requests).toContain(`GET /products/${item.id}`);
    const basket = response.json<Basket>();
    expect(basket.lines).toEqual([
      {
        productId: item.id,
        sku: item.sku,
        name: item.name,
        imageUrl: item.imageUrl,
        size: '42',
        quantity: 2,
        unitPrice: { amount: 99_000, currency: 'THB' },
        lineTotal: { amount: 198_000, currency: 'THB' },
        available: true,
      },
    ]);
    expect(basket).toMatchObject({ subtotal: { amount: 198_000 }, itemCount: 2 });
    expect(basket.updatedAt).not.toBeNull();
    expect(await basketOf(who)).toEqual(basket);

    // Putting it again sets the quantity and size; it never adds a second line.
    const changed = (await put(who, item.id, { quantity: 3, size: '43' })).json<Basket>();
    expect(changed.lines.map((line) => [line.size, line.quantity])).toEqual([['43', 3]]);
  });

  it('takes one product out, or empties the basket', async () => {
    const who = await shopper();
    const [first, second] = [product(), product({ sizes: [] })];
    await put(who, first.id, { quantity: 1, size: '41' });
    await put(who, second.id, { quantity: 1 });
    const removed = await app.inject({ method: 'DELETE', url: `/basket/items/${first.id}`, headers: who.headers });
    expect(removed.statusCode).toBe(200);
    expect(removed.json<Basket>().lines.map((line) => line.productId)).toEqual([second.id]);
    const emptied = await app.inject({ method: 'DELETE', url: '/basket', headers: who.headers });
    expect(emptied.statusCode).toBe(200);
    expect(emptied.json<Basket>()).toMatchObject({ lines: [], itemCount: 0 });
    expect((await basketOf(who)).lines).toEqual([]);
  });

  it('answers a product the catalog does not have with 404 BASKET_UNKNOWN_PRODUCT', async () => {
    const who = await shopper();
    const response = await put(who, newId(), { quantity: 1 });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe('BASKET_UNKNOWN_PRODUCT');
    expect((await basketOf(who)).lines).toEqual([]);
  });

  it.each([
    ['no size for a product that comes in sizes', ['41', '42'], {}],
    ['a size the product does not come in', ['41', '42'], { size: '45' }],
    ['a size for a product that comes in one size', [], { size: '42' }],
  ])('answers %s with 400 BASKET_INVALID_SIZE', async (_name, sizes, choice) => {
    const who = await shopper();
    const response = await put(who, product({ sizes }).id, { quantity: 1, ...choice });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('BASKET_INVALID_SIZE');
    expect((await basketOf(who)).lines).toEqual([]);
  });

  it('keeps a one-size product without a size', async () => {
    const who = await shopper();
    const response = await put(who, product({ sizes: [] }).id, { quantity: 1 });
    expect(response.statusCode).toBe(200);
    expect(response.json<Basket>().lines[0]?.size).toBeNull();
  });

  it.each([
    ['a quantity over the limit', { quantity: 21, size: '42' }, 'quantity'],
    ['a quantity of nothing', { quantity: 0, size: '42' }, 'quantity'],
    ['a fractional quantity', { quantity: 1.5, size: '42' }, 'quantity'],
    ['an unknown field', { quantity: 1, size: '42', colour: 'red' }, 'colour'],
  ])('answers %s with 400 naming %s', async (_name, payload, field) => {
    const who = await shopper();
    const response = await put(who, product().id, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('INVALID_REQUEST');
    expect(JSON.stringify(response.json().errors)).toContain(field);
  });

  it(`holds at most ${MAX_BASKET_LINES} products (400 BASKET_TOO_MANY_LINES), and still changes those it holds`, async () => {
    const who = await shopper();
    const items = Array.from({ length: MAX_BASKET_LINES }, () => product({ sizes: [] }));
    for (const item of items) expect((await put(who, item.id, { quantity: 1 })).statusCode).toBe(200);
    const refused = await put(who, product({ sizes: [] }).id, { quantity: 1 });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('BASKET_TOO_MANY_LINES');
    const changed = await put(who, items[0]!.id, { quantity: 5 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<Basket>()).toMatchObject({ itemCount: MAX_BASKET_LINES + 4 });
    expect(changed.json<Basket>().lines).toHaveLength(MAX_BASKET_LINES);
  });

  it.each([
    ['answers with an error', () => (standIn.mode = 'error')],
    ['does not answer within the deadline', () => (standIn.mode = 'hang')],
    [
      'is not there at all',
      () => (catalogClient = createCatalogClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 300 })),
    ],
  ])('answers 503 problem+json when the catalog %s, and leaves the basket as it was', async (_name, breakCatalog) => {
    const who = await shopper();
    const kept = product({ sizes: [] });
    await put(who, kept.id, { quantity: 1 });
    const before = await basketOf(who);
    breakCatalog();
    try {
      const response = await put(who, product({ sizes: [] }).id, { quantity: 1 });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().code).toBe('BASKET_CATALOG_UNAVAILABLE');
      // The basket itself does not need the catalog.
      expect(await basketOf(who)).toEqual(before);
    } finally {
      standIn.mode = 'up';
      catalogClient = createCatalogClient({ baseUrl: standIn.url, timeoutMs: 300 });
    }
  });
});

describe('basket: following catalog and ordering', () => {
  const publishCatalog = (
    write: (messaging: Messaging, tx: Parameters<Parameters<Messaging['transaction']>[0]>[0]) => Promise<unknown>,
  ) => catalogSide.messaging.transaction((tx) => write(catalogSide.messaging, tx));

  it('refreshes the name and price of every line holding a product when catalog changes it, never going back', async () => {
    const [alice, bob] = [await shopper(), await shopper()];
    const item = product();
    const other = product({ sizes: [] });
    await put(alice, item.id, { quantity: 2, size: '41' });
    await put(alice, other.id, { quantity: 1 });
    await put(bob, item.id, { quantity: 1, size: '42' });

    const later = (minutes: number) => new Date(Date.parse(item.updatedAt) + minutes * 60_000).toISOString();
    const changed = {
      ...item,
      name: 'Test Runner II',
      price: { amount: 89_000, currency: 'THB' as const },
      updatedAt: later(10),
    };
    // A change made before the one above, delivered after it (say, replayed from a dead letter): ignored.
    const stale = { ...item, name: 'Stale name', price: { amount: 1, currency: 'THB' as const }, updatedAt: later(5) };
    await publishCatalog((messaging, tx) =>
      messaging.publish(tx, ProductUpdated, { product: changed, changed: ['name', 'price'] }, { key: item.id }),
    );
    await publishCatalog((messaging, tx) =>
      messaging.publish(tx, ProductUpdated, { product: stale, changed: ['name', 'price'] }, { key: item.id }),
    );
    await eventually(async () => (await basketOf(bob)).lines[0]?.unitPrice.amount === 89_000);
    // A marker event after the stale one, so its handling is done when the marker shows.
    const marker = { ...other, name: 'Marker', updatedAt: later(1) };
    await publishCatalog((messaging, tx) =>
      messaging.publish(tx, ProductUpdated, { product: marker, changed: ['name'] }, { key: item.id }),
    );
    await eventually(async () => (await basketOf(alice)).lines.some((line) => line.name === 'Marker'));

    const basket = await basketOf(alice);
    expect(basket.lines.map((line) => [line.name, line.unitPrice.amount, line.lineTotal.amount])).toEqual([
      ['Test Runner II', 89_000, 178_000],
      ['Marker', other.price.amount, other.price.amount],
    ]);
    expect(basket.subtotal.amount).toBe(178_000 + other.price.amount);
    expect((await basketOf(bob)).lines[0]).toMatchObject({ name: 'Test Runner II', size: '42', quantity: 1 });
  });

  it('marks a line unavailable when catalog drops its size or deletes the product', async () => {
    const who = await shopper();
    const [resized, deleted, kept] = [product(), product({ sizes: [] }), product({ sizes: [] })];
    await put(who, resized.id, { quantity: 1, size: '43' });
    await put(who, deleted.id, { quantity: 1 });
    await put(who, kept.id, { quantity: 2 });
    const noMore43 = { ...resized, sizes: ['41', '42'], updatedAt: new Date(Date.UTC(2026, 1, 1)).toISOString() };
    await publishCatalog((messaging, tx) =>
      messaging.publish(tx, ProductUpdated, { product: noMore43, changed: ['sizes'] }, { key: resized.id }),
    );
    await publishCatalog((messaging, tx) =>
      messaging.publish(tx, ProductDeleted, { productId: deleted.id, sku: deleted.sku }, { key: deleted.id }),
    );
    await eventually(async () => (await basketOf(who)).lines.filter((line) => !line.available).length === 2);
    const basket = await basketOf(who);
    expect(basket.lines.map((line) => [line.productId, line.available])).toEqual([
      [resized.id, false],
      [deleted.id, false],
      [kept.id, true],
    ]);
    // Lines that cannot be ordered count in neither the subtotal nor the item count.
    expect(basket).toMatchObject({ subtotal: { amount: kept.price.amount * 2 }, itemCount: 2 });
  });

  it("empties the customer's basket when their order is placed, and leaves everyone else's alone", async () => {
    const [buyer, neighbour] = [await shopper(), await shopper()];
    const item = product();
    await put(buyer, item.id, { quantity: 1, size: '42' });
    await put(neighbour, item.id, { quantity: 4, size: '41' });
    const neighbourBefore = await basketOf(neighbour);
    const orderId = newId();
    const line = {
      productId: item.id,
      sku: item.sku,
      name: item.name,
      size: '42',
      quantity: 1,
      unitPrice: item.price,
      lineTotal: item.price,
    };
    await orderingSide.messaging.transaction((tx) =>
      orderingSide.messaging.publish(
        tx,
        OrderPlaced,
        {
          orderId,
          customerId: buyer.id,
          lines: [line],
          totals: { subtotal: item.price, shippingFee: { amount: 0, currency: 'THB' }, total: item.price },
          shippingAddress: {
            name: 'Somchai Jaidee',
            phone: '0812345678',
            line1: '99 Sukhumvit Road',
            subdistrict: 'Khlong Toei',
            district: 'Khlong Toei',
            province: 'Bangkok',
            postalCode: '10110',
          },
          shippingOption: 'standard',
          paymentMethod: 'card',
          placedAt: new Date().toISOString(),
        },
        { key: orderId },
      ),
    );
    await eventually(async () => (await basketOf(buyer)).lines.length === 0);
    expect((await basketOf(buyer)).lines).toEqual([]);
    expect(await basketOf(neighbour)).toEqual(neighbourBefore);
  });
});
