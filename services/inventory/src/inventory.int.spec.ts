import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProductCreated, ProductDeleted } from '@talad/contracts-catalog';
import { ReserveStock } from '@talad/contracts-inventory';
import { newId } from '@talad/core';
import { createMessaging, migrateMessaging, type Messaging } from '@talad/messaging';
import { eventually } from '@talad/messaging/testing';
import { createLogger } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { buildInventoryApp } from './app.ts';
import { seededQuantity } from './stock/stock-level.ts';
import { startInventory, type InventoryHarness } from './testing/inventory-harness.ts';
import { productId, testProduct } from './testing/snapshot-catalog.ts';

/** Inventory through its HTTP API and catalog's events, seeded from a real HTTP server standing in for catalog. */
const PRODUCTS = 2_345;
let inventory: InventoryHarness;
let catalogDb: TestDatabase;
let catalogMessaging: Messaging;

beforeAll(async () => {
  inventory = await startInventory({
    prefix: 'inventory_http',
    products: Array.from({ length: PRODUCTS }, (_, i) => testProduct(i + 1)),
    // The catalog is down when inventory first starts.
    beforeStart: (catalog) => {
      catalog.failing = true;
    },
  });
  // Catalog's events come from a service named catalog, through the same message log.
  catalogDb = await createTestDatabase({ prefix: 'inventory_http_catalog' });
  await migrateMessaging(catalogDb.pool);
  catalogMessaging = createMessaging({
    service: 'catalog',
    pool: catalogDb.pool,
    transport: inventory.transport,
    logger: createLogger({ service: 'catalog', level: 'silent' }),
  });
  await catalogMessaging.start();
});

afterAll(async () => {
  await catalogMessaging.stop();
  await inventory.close();
  await catalogDb.drop();
});

const snapshotRequests = () => inventory.catalog.requests.filter((url) => url.startsWith('/products/snapshot'));
const bearer = async (claims: Parameters<InventoryHarness['issuer']['tokenFor']>[0]) => ({
  authorization: `Bearer ${await inventory.issuer.tokenFor(claims)}`,
});

async function stockRecord(product: string) {
  return inventory.app.inject({ url: `/admin/stock/${product}`, headers: await inventory.admin() });
}

describe('bootstrap from the catalog', () => {
  it('is not ready while the catalog is down, then seeds every product page by page', async () => {
    await eventually(
      () => snapshotRequests().length,
      (count) => count >= 2,
      { what: 'two attempts at the snapshot' },
    );
    const notReady = await inventory.app.inject('/health/ready');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().checks.stock.status).toBe('down');

    inventory.catalog.failing = false;
    await inventory.ready();
    const { rows } = await inventory.db.pool.query<{ product_id: string; on_hand: number; reserved: number }>(
      'SELECT product_id, on_hand, reserved FROM stock ORDER BY product_id',
    );
    expect(rows).toHaveLength(PRODUCTS);
    expect(rows.every((row) => row.on_hand === seededQuantity(row.product_id) && row.reserved === 0)).toBe(true);
    expect(rows.filter((row) => row.on_hand === 0).length).toBeGreaterThan(0);
    const pages = snapshotRequests().filter((url) => url.includes('limit=1000'));
    expect(pages.slice(-3)).toEqual([
      '/products/snapshot?limit=1000',
      `/products/snapshot?limit=1000&after=${productId(1000)}`,
      `/products/snapshot?limit=1000&after=${productId(2000)}`,
    ]);
  });

  it('does not page through the catalog again on a later start', async () => {
    const before = snapshotRequests().length;
    const again = await buildInventoryApp({
      pool: inventory.db.pool,
      transport: inventory.transport,
      verifier: inventory.issuer.verifier,
      catalogUrl: inventory.catalog.url,
      logger: createLogger({ service: 'inventory', level: 'silent' }),
      sweepIntervalMs: 0,
    });
    try {
      await again.ready();
      await eventually(
        async () => (await again.inject('/health/ready')).statusCode,
        (status) => status === 200,
        { what: 'the second instance to be ready' },
      );
      expect(snapshotRequests().length).toBe(before);
    } finally {
      await again.close();
    }
  });
});

describe('catalog events', () => {
  it('stocks a new product at its seeded quantity, and stops selling a deleted one', async () => {
    const created = testProduct(900_001);
    await catalogMessaging.transaction((tx) =>
      catalogMessaging.publish(tx, ProductCreated, { product: created }, { key: created.id }),
    );
    const record = await eventually(
      () => stockRecord(created.id),
      (response) => response.statusCode === 200,
      { what: 'stock for the new product' },
    );
    expect(record.json()).toMatchObject({ onHand: seededQuantity(created.id), reserved: 0, discontinued: false });

    const deleted = productId(7);
    await inventory.app.inject({
      method: 'PUT',
      url: `/admin/stock/${deleted}`,
      payload: { onHand: 20 },
      headers: await inventory.admin(),
    });
    await catalogMessaging.transaction((tx) =>
      catalogMessaging.publish(tx, ProductDeleted, { productId: deleted, sku: 'TST-000007' }, { key: deleted }),
    );
    await eventually(
      async () => (await stockRecord(deleted)).json<{ discontinued: boolean }>().discontinued,
      (discontinued) => discontinued,
      { what: 'the deleted product to be discontinued' },
    );
    expect((await inventory.app.inject(`/stock?productId=${deleted}`)).json().items).toEqual([]);
    const refused = await inventory.requester.replyTo(
      await inventory.requester.send(ReserveStock, {
        orderId: newId(),
        lines: [{ productId: deleted, quantity: 1 }],
        expiresAt: new Date(inventory.clock.now().getTime() + 60_000).toISOString(),
      }),
    );
    expect(refused.data).toMatchObject({ reason: 'UNKNOWN_PRODUCT' });
  });

  it('remembers a deletion heard before the product, so that a snapshot cannot bring it back', async () => {
    const unseen = productId(900_002);
    await catalogMessaging.transaction((tx) =>
      catalogMessaging.publish(tx, ProductDeleted, { productId: unseen, sku: 'TST-900002' }, { key: unseen }),
    );
    const record = await eventually(
      () => stockRecord(unseen),
      (response) => response.statusCode === 200,
      { what: 'the tombstone of the unseen product' },
    );
    expect(record.json()).toMatchObject({ onHand: 0, discontinued: true, status: 'sold_out' });
  });
});

describe('stock badges', () => {
  it('answers each known product in the order asked, with its status, leaving out unknown ones', async () => {
    const admin = await inventory.admin();
    const set = (n: number, onHand: number) =>
      inventory.app.inject({ method: 'PUT', url: `/admin/stock/${productId(n)}`, payload: { onHand }, headers: admin });
    expect((await set(1, 0)).json()).toMatchObject({ available: 0, status: 'sold_out' });
    expect((await set(2, 5)).json()).toMatchObject({ available: 5, status: 'few_left' });
    expect((await set(3, 6)).json()).toMatchObject({ available: 6, status: 'in_stock' });

    const unknown = newId();
    const response = await inventory.app.inject(
      `/stock?productId=${productId(3)}&productId=${unknown}&productId=${productId(1)}&productId=${productId(2)}`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toEqual([
      { productId: productId(3), available: 6, status: 'in_stock' },
      { productId: productId(1), available: 0, status: 'sold_out' },
      { productId: productId(2), available: 5, status: 'few_left' },
    ]);
    const single = await inventory.app.inject(`/stock?productId=${productId(2)}`);
    expect(single.json().items).toEqual([{ productId: productId(2), available: 5, status: 'few_left' }]);
  });

  it.each([
    ['', 'productId'],
    ['productId=not-a-uuid', 'productId.0'],
    [Array.from({ length: 101 }, () => `productId=${productId(1)}`).join('&'), 'productId'],
    [`productId=${productId(1)}&colour=red`, 'colour'],
  ])('answers /stock?%s with 400 problem+json naming %s', async (query, parameter) => {
    const response = await inventory.app.inject(`/stock?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe('INVALID_REQUEST');
    expect(response.json().errors.map((error: { name: string }) => error.name)).toContain(parameter);
  });
});

describe('stock administration', () => {
  const url = `/admin/stock/${productId(4)}`;

  it('lets admins and inventory:write clients set stock, and no one else', async () => {
    expect((await inventory.app.inject({ method: 'PUT', url, payload: { onHand: 9 } })).statusCode).toBe(401);
    const customer = await bearer({ sub: 'c-1', roles: ['customer'] });
    expect(
      (await inventory.app.inject({ method: 'PUT', url, payload: { onHand: 9 }, headers: customer })).statusCode,
    ).toBe(403);
    const reader = await bearer({ sub: 'checker', client_id: 'checker', scope: 'inventory:read' });
    expect(
      (await inventory.app.inject({ method: 'PUT', url, payload: { onHand: 9 }, headers: reader })).statusCode,
    ).toBe(403);
    const writer = await bearer({ sub: 'talad-admin', client_id: 'talad-admin', scope: 'inventory:write' });
    const set = await inventory.app.inject({ method: 'PUT', url, payload: { onHand: 9 }, headers: writer });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({
      productId: productId(4),
      onHand: 9,
      reserved: 0,
      available: 9,
      status: 'in_stock',
      discontinued: false,
    });
  });

  it('refuses on-hand stock below what is reserved with 409, and an unknown product with 404', async () => {
    const product = productId(5);
    const admin = await inventory.admin();
    await inventory.app.inject({
      method: 'PUT',
      url: `/admin/stock/${product}`,
      payload: { onHand: 10 },
      headers: admin,
    });
    const orderId = newId();
    const reserved = await inventory.requester.replyTo(
      await inventory.requester.send(ReserveStock, {
        orderId,
        lines: [{ productId: product, quantity: 4 }],
        expiresAt: new Date(inventory.clock.now().getTime() + 60_000).toISOString(),
      }),
    );
    expect(reserved.type).toBe('inventory.StockReserved.v1');

    const below = await inventory.app.inject({
      method: 'PUT',
      url: `/admin/stock/${product}`,
      payload: { onHand: 3 },
      headers: admin,
    });
    expect(below.statusCode).toBe(409);
    expect(below.headers['content-type']).toContain('application/problem+json');
    expect(below.json()).toMatchObject({ code: 'INVENTORY_BELOW_RESERVED', reserved: 4 });
    expect((await stockRecord(product)).json()).toMatchObject({ onHand: 10, reserved: 4, available: 6 });

    const missing = await inventory.app.inject({
      method: 'PUT',
      url: `/admin/stock/${newId()}`,
      payload: { onHand: 3 },
      headers: admin,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('INVENTORY_PRODUCT_NOT_FOUND');

    const found = await inventory.app.inject({ url: `/admin/reservations?orderId=${orderId}`, headers: admin });
    expect(found.json().items).toEqual([
      expect.objectContaining({ orderId, state: 'held', lines: [{ productId: product, quantity: 4 }], reason: null }),
    ]);
  });

  it.each([
    [{ onHand: -1 }, 'onHand'],
    [{ onHand: 1.5 }, 'onHand'],
    [{ onHand: '7' }, 'onHand'],
    [{ onHand: 10_000_000 }, 'onHand'],
    [{}, 'onHand'],
    [{ onHand: 1, note: 'x' }, 'note'],
  ])('answers PUT with %j with 400 problem+json naming %s', async (payload, field) => {
    const response = await inventory.app.inject({ method: 'PUT', url, payload, headers: await inventory.admin() });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors.map((error: { name: string }) => error.name)).toContain(field);
  });

  it('answers malformed ids and bodies with 400 problem+json', async () => {
    const admin = await inventory.admin();
    const badId = await inventory.app.inject({
      method: 'PUT',
      url: '/admin/stock/nope',
      payload: { onHand: 1 },
      headers: admin,
    });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errors[0]).toMatchObject({ in: 'params', name: 'productId' });
    const notJson = await inventory.app.inject({
      method: 'PUT',
      url,
      payload: '{"onHand":',
      headers: { ...admin, 'content-type': 'application/json' },
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().code).toBe('MALFORMED_BODY');
    const badOrder = await inventory.app.inject({ url: '/admin/reservations?orderId=42', headers: admin });
    expect(badOrder.statusCode).toBe(400);
    expect(badOrder.json().errors[0]).toMatchObject({ in: 'query', name: 'orderId' });
  });
});
