import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProductDeleted, ProductUpdated } from '@talad/contracts-catalog';
import { ShippingRatesChanged } from '@talad/contracts-shipping';
import { newId } from '@talad/core';
import { createMessaging, migrateMessaging, type Messaging } from '@talad/messaging';
import { createLogger } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import {
  KNOWN_CARD_TOKEN,
  PRODUCTS,
  RATES,
  startOrderingHarness,
  type OrderingHarness,
} from '../testing/ordering-harness.ts';

/**
 * Ordering's copies of catalog prices and shipping rates: filled from their owners once, then kept
 * current by their events through the real message log, and enough to place orders with the owners down.
 */
let harness: OrderingHarness;
// Stand-ins for catalog and shipping publishing their events, each from its own database's outbox.
let publisherDb: TestDatabase;
let catalog: Messaging;
let shipping: Messaging;

beforeAll(async () => {
  harness = await startOrderingHarness('ordering_replicas');
  publisherDb = await createTestDatabase({ prefix: 'ordering_replicas_owners' });
  await migrateMessaging(publisherDb.pool);
  const logger = createLogger({ service: 'owners', level: 'silent' });
  catalog = createMessaging({ service: 'catalog', pool: publisherDb.pool, transport: harness.transport, logger });
  shipping = createMessaging({ service: 'shipping', pool: publisherDb.pool, transport: harness.transport, logger });
  await catalog.start();
  await shipping.start();
});

afterAll(async () => {
  await catalog.stop();
  await shipping.stop();
  await harness.close();
  await publisherDb.drop();
});

const body = (lines: unknown[], shippingOption = 'standard') => ({
  lines,
  shippingAddress: {
    name: 'Malee Suksan',
    phone: '+66812345678',
    line1: '1 Nimman Road',
    subdistrict: 'Suthep',
    district: 'Mueang Chiang Mai',
    province: 'Chiang Mai',
    postalCode: '50200',
  },
  shippingOption,
  paymentMethod: { type: 'card', cardToken: KNOWN_CARD_TOKEN },
});

async function placeAndRead(lines: unknown[], shippingOption = 'standard') {
  const customerId = newId();
  const headers = await harness.bearer(customerId);
  const placed = await harness.app.inject({
    method: 'POST',
    url: '/orders',
    payload: body(lines, shippingOption),
    headers: { ...headers, 'idempotency-key': newId() },
  });
  if (placed.statusCode !== 202) return { status: placed.statusCode, problem: placed.json() };
  const order = await harness.app.inject({ url: `/orders/${placed.json().orderId}`, headers });
  return { status: 202, order: order.json() };
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function replicaPrice(productId: string): Promise<number | undefined> {
  const { rows } = await harness.db.pool.query<{ price_amount: number }>(
    'SELECT price_amount FROM product_replica WHERE id = $1 AND NOT deleted',
    [productId],
  );
  return rows[0]?.price_amount;
}

describe('the replicas', () => {
  it('were filled from catalog’s snapshot, page by page, and shipping’s rates', async () => {
    const { rows } = await harness.db.pool.query<{ sku: string }>('SELECT sku FROM product_replica ORDER BY id');
    expect(rows.map((row) => row.sku)).toEqual(Object.values(PRODUCTS).map((product) => product.sku));
    expect(harness.catalog.requests.filter((request) => request.startsWith('GET /products/snapshot'))).toHaveLength(2);
    const { rows: rates } = await harness.db.pool.query<{ option: string }>(
      'SELECT option FROM shipping_rate_replica ORDER BY option',
    );
    expect(rates.map((rate) => rate.option)).toEqual(['express', 'standard']);
  });

  it('price orders while catalog and shipping are unreachable', async () => {
    await harness.catalog.close();
    await harness.shipping.close();
    const placed = await placeAndRead([{ productId: PRODUCTS.cap.id, quantity: 1 }], 'express');
    expect(placed.status).toBe(202);
    expect(placed.order.lines[0]).toMatchObject({ sku: 'ACC-TST-000003', unitPrice: { amount: 49_000 } });
    expect(placed.order.totals).toMatchObject({ shippingFee: { amount: 15_000 }, total: { amount: 64_000 } });
  });

  it('and while payment cannot check the card token: checkout’s authorization will', async () => {
    await harness.payment.close();
    const placed = await harness.app.inject({
      method: 'POST',
      url: '/orders',
      payload: {
        ...body([{ productId: PRODUCTS.cap.id, quantity: 1 }]),
        paymentMethod: { type: 'card', cardToken: 'tok_unchecked' },
      },
      headers: { ...(await harness.bearer(newId())), 'idempotency-key': newId() },
    });
    expect(placed.statusCode).toBe(202);
  });

  it('follow catalog’s ProductUpdated: the next order has the new price', async () => {
    const changed = {
      ...PRODUCTS.cap,
      price: { amount: 39_000, currency: 'THB' as const },
      updatedAt: '2026-02-01T00:00:00.000Z',
    };
    await catalog.transaction((tx) =>
      catalog.publish(tx, ProductUpdated, { product: changed, changed: ['price'] }, { key: changed.id }),
    );
    await eventually(async () => (await replicaPrice(changed.id)) === 39_000, 'the replica to take the new price');
    const placed = await placeAndRead([{ productId: changed.id, quantity: 2 }]);
    expect(placed.order.lines[0]).toMatchObject({ unitPrice: { amount: 39_000 }, lineTotal: { amount: 78_000 } });
  });

  it('ignore an older copy of a product that arrives late', async () => {
    const stale = {
      ...PRODUCTS.cap,
      price: { amount: 1, currency: 'THB' as const },
      updatedAt: '2026-01-15T00:00:00.000Z',
    };
    const marker = {
      ...PRODUCTS.socks,
      price: { amount: 8_800, currency: 'THB' as const },
      updatedAt: '2026-02-02T00:00:00.000Z',
    };
    await catalog.transaction(async (tx) => {
      await catalog.publish(tx, ProductUpdated, { product: stale, changed: ['price'] }, { key: stale.id });
      await catalog.publish(tx, ProductUpdated, { product: marker, changed: ['price'] }, { key: marker.id });
    });
    await eventually(async () => (await replicaPrice(marker.id)) === 8_800, 'the later event to arrive');
    await eventually(
      async () =>
        (
          await harness.db.pool.query(
            "SELECT 1 FROM inbox WHERE type = 'catalog.ProductUpdated.v1' GROUP BY consumer_group HAVING count(*) >= 3",
          )
        ).rowCount === 1,
      'both updates to be handled',
    );
    expect(await replicaPrice(stale.id)).toBe(39_000);
  });

  it('follow ProductDeleted: the product can no longer be ordered', async () => {
    await catalog.transaction((tx) =>
      catalog.publish(
        tx,
        ProductDeleted,
        { productId: PRODUCTS.runner.id, sku: PRODUCTS.runner.sku },
        { key: PRODUCTS.runner.id },
      ),
    );
    await eventually(async () => (await replicaPrice(PRODUCTS.runner.id)) === undefined, 'the product to be gone');
    const placed = await placeAndRead([{ productId: PRODUCTS.runner.id, size: '42', quantity: 1 }]);
    expect(placed).toMatchObject({ status: 422, problem: { code: 'ORDERING_UNKNOWN_PRODUCT' } });
  });

  it('follow shipping’s ShippingRatesChanged', async () => {
    const express = { ...RATES[1]!, fee: { amount: 12_000, currency: 'THB' as const } };
    await shipping.transaction((tx) =>
      shipping.publish(
        tx,
        ShippingRatesChanged,
        { rates: [RATES[0]!, express], effectiveAt: '2026-03-01T00:00:00.000Z' },
        { key: 'rates' },
      ),
    );
    await eventually(async () => {
      const { rows } = await harness.db.pool.query<{ fee_amount: number }>(
        "SELECT fee_amount FROM shipping_rate_replica WHERE option = 'express'",
      );
      return rows[0]?.fee_amount === 12_000;
    }, 'the new express fee');
    const placed = await placeAndRead([{ productId: PRODUCTS.socks.id, quantity: 1 }], 'express');
    expect(placed.order.totals.shippingFee.amount).toBe(12_000);
  });
});
