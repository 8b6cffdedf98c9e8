/**
 * The checkout, the way a customer meets it: through the gateway, with the card tokenized at the
 * provider simulator, on the system exactly as `npm start` runs it (embedded PostgreSQL, the
 * PostgreSQL message log). Approved with the success card; rejected with the decline card, the stock
 * given back and nothing captured.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, removeDataDir, startSystem, type RunningSystem } from '../support/system.ts';
import {
  availableStock,
  call,
  newCustomer,
  placeOrder,
  searchProducts,
  tokenizeCard,
  waitForOrderToEnd,
  type Customer,
  type ProductSummary,
} from '../support/shop-client.ts';

const PORT_OFFSET = 1_500;
const providerUrl = `http://127.0.0.1:${8201 + PORT_OFFSET}`;
let dataDir: string;
let system: RunningSystem | undefined;
let gatewayUrl: string;
let customer: Customer;
let product: ProductSummary;

interface Authorization {
  id: string;
  status: string;
  reference: string;
}

async function authorizationsFor(orderId: string): Promise<Authorization[]> {
  const answer = await call<{ items: Authorization[] }>(`${providerUrl}/v1/authorizations?reference=${orderId}`);
  expect(answer.status).toBe(200);
  return answer.body.items;
}

/** A product with sizes and plenty of stock, so the test is about the checkout, not scarcity. */
async function wellStockedProduct(): Promise<ProductSummary> {
  const candidates = (await searchProducts(gatewayUrl, 'sneakers', 50)).filter((item) => item.sizes.length > 0);
  const stock = await availableStock(
    gatewayUrl,
    candidates.map((item) => item.id),
  );
  const chosen = candidates.find((item) => (stock.get(item.id) ?? 0) >= 10);
  if (!chosen) throw new Error('no well-stocked product with sizes among the search results');
  return chosen;
}

beforeAll(async () => {
  dataDir = await makeDataDir('talad-checkout-');
  const started = await startSystem({ dataDir, portOffset: PORT_OFFSET });
  system = started;
  gatewayUrl = started.gatewayUrl;
  customer = await newCustomer(gatewayUrl);
  product = await wellStockedProduct();
});

afterAll(async () => {
  if (system?.process.exitCode === null) await system.stop('SIGTERM');
  await removeDataDir(dataDir);
});

describe('checkout through the gateway', () => {
  it('approves an order paid with the success card: stock down, payment captured, basket emptied', async () => {
    const size = product.sizes[0];
    const basketLine = await call(`${gatewayUrl}/api/basket/items/${product.id}`, {
      method: 'PUT',
      token: customer.token,
      body: { quantity: 2, size },
    });
    expect(basketLine.status).toBe(200);
    const before = (await availableStock(gatewayUrl, [product.id])).get(product.id) ?? 0;

    const idempotencyKey = randomUUID();
    const cardToken = await tokenizeCard(providerUrl, 'success');
    const order = { lines: [{ productId: product.id, size, quantity: 2 }], cardToken, idempotencyKey };
    const placed = await placeOrder(gatewayUrl, customer, order);
    expect(placed.status).toBe(202);
    // The same request again (a client retrying after a cut connection) is the same order.
    const retried = await placeOrder(gatewayUrl, customer, order);
    expect(retried.body.orderId).toBe(placed.body.orderId);

    const ended = await waitForOrderToEnd(gatewayUrl, customer, placed.body.orderId);
    expect(ended.status).toBe('approved');
    expect(ended.totals.subtotal.amount).toBe(product.price.amount * 2);
    expect(ended.checkout.steps.every((step) => step.state === 'done')).toBe(true);

    // Stock answers are cached at the gateway for a few seconds: the change shows once they expire.
    await expect
      .poll(async () => (await availableStock(gatewayUrl, [product.id])).get(product.id), { timeout: 15_000 })
      .toBe(before - 2);
    const authorizations = await authorizationsFor(placed.body.orderId);
    expect(authorizations.map((authorization) => authorization.status)).toEqual(['captured']);
    await expect
      .poll(
        async () =>
          (await call<{ lines: unknown[] }>(`${gatewayUrl}/api/basket`, { token: customer.token })).body.lines,
        {
          timeout: 15_000,
        },
      )
      .toEqual([]);
  });

  it('rejects an order paid with the decline card: stock given back, nothing captured', async () => {
    const size = product.sizes[0];
    const before = (await availableStock(gatewayUrl, [product.id])).get(product.id) ?? 0;
    const cardToken = await tokenizeCard(providerUrl, 'declined');
    const placed = await placeOrder(gatewayUrl, customer, {
      lines: [{ productId: product.id, size, quantity: 1 }],
      cardToken,
    });
    expect(placed.status).toBe(202);

    const ended = await waitForOrderToEnd(gatewayUrl, customer, placed.body.orderId);
    expect(ended.status).toBe('rejected');
    expect(ended.rejectionReason).toBe('PAYMENT_DECLINED');
    await expect
      .poll(async () => (await availableStock(gatewayUrl, [product.id])).get(product.id), { timeout: 15_000 })
      .toBe(before);
    const authorizations = await authorizationsFor(placed.body.orderId);
    expect(authorizations.filter((authorization) => authorization.status === 'captured')).toEqual([]);
  });

  it('refuses bad orders with problem+json before any saga starts', async () => {
    const cardToken = await tokenizeCard(providerUrl, 'success');
    const cases: Array<{ lines: Array<{ productId: string; size?: string; quantity: number }>; token?: string }> = [
      { lines: [] },
      { lines: [{ productId: randomUUID(), size: product.sizes[0], quantity: 1 }] },
      { lines: [{ productId: product.id, size: 'no-such-size', quantity: 1 }] },
      { lines: [{ productId: product.id, size: product.sizes[0], quantity: 1 }], token: 'tok_does_not_exist' },
    ];
    for (const badOrder of cases) {
      const answer = await placeOrder(gatewayUrl, customer, {
        lines: badOrder.lines,
        cardToken: badOrder.token ?? cardToken,
      });
      expect(answer.status, JSON.stringify(badOrder)).toBeGreaterThanOrEqual(400);
      expect(answer.status, JSON.stringify(badOrder)).toBeLessThan(500);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.code).toMatch(/^ORDERING_/);
    }
  });
});
