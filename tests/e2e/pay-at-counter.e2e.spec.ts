/**
 * Pay at counter, the way a customer meets it: an order placed through the gateway shows its pay slip;
 * paid at the counter-service simulator it is approved; left unpaid past its expiry it is cancelled by
 * the system (PAYMENT_EXPIRED) and its stock given back. On the system exactly as `npm start` runs it, with slips
 * that expire in seconds (PAY_SLIP_TTL_SECONDS).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, removeDataDir, startSystem, type RunningSystem } from '../support/system.ts';
import {
  availableStock,
  call,
  newCustomer,
  searchProducts,
  TEST_ADDRESS,
  waitForOrderToEnd,
  type Customer,
  type ProductSummary,
} from '../support/shop-client.ts';

const PORT_OFFSET = 3_300;
const SLIP_TTL_SECONDS = 10;
const counterUrl = `http://127.0.0.1:${8202 + PORT_OFFSET}`;
let dataDir: string;
let system: RunningSystem | undefined;
let gatewayUrl: string;
let customer: Customer;
let product: ProductSummary;

interface Slip {
  invoiceNumber: string;
  paymentCode: string;
  barcodeSvg: string;
  amount: { amount: number; currency: string };
  expiresAt: string;
}
interface CounterOrder {
  status: string;
  rejectionReason: string | null;
  payment: { method: string; slip: Slip | null };
}

async function placeCounterOrder(): Promise<string> {
  const placed = await call<{ orderId: string }>(`${gatewayUrl}/api/orders`, {
    method: 'POST',
    token: customer.token,
    headers: { 'idempotency-key': randomUUID() },
    body: {
      lines: [{ productId: product.id, size: product.sizes[0], quantity: 1 }],
      shippingAddress: TEST_ADDRESS,
      shippingOption: 'standard',
      paymentMethod: { type: 'counter' },
    },
  });
  expect(placed.status).toBe(202);
  return placed.body.orderId;
}

/** The order once checkout recorded its slip: still pending, waiting for the money. */
async function slipOf(orderId: string): Promise<{ order: CounterOrder; slip: Slip }> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const answer = await call<CounterOrder>(`${gatewayUrl}/api/orders/${orderId}`, { token: customer.token });
    if (answer.status === 200 && answer.body.payment.slip)
      return { order: answer.body, slip: answer.body.payment.slip };
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  throw new Error(`order ${orderId} shows no pay slip`);
}

const payAtCounter = (slip: Slip) =>
  call<{ status?: string; billerCode?: string }>(`${counterUrl}/v1/payments`, {
    method: 'POST',
    body: { paymentCode: slip.paymentCode, amount: slip.amount.amount },
  });

beforeAll(async () => {
  dataDir = await makeDataDir('talad-counter-');
  system = await startSystem({
    dataDir,
    portOffset: PORT_OFFSET,
    env: { PAY_SLIP_TTL_SECONDS: String(SLIP_TTL_SECONDS) },
  });
  gatewayUrl = system.gatewayUrl;
  customer = await newCustomer(gatewayUrl, 'counter');
  const candidates = (await searchProducts(gatewayUrl, 'sneakers', 50)).filter((item) => item.sizes.length > 0);
  const stock = await availableStock(
    gatewayUrl,
    candidates.map((item) => item.id),
  );
  const chosen = candidates.find((item) => (stock.get(item.id) ?? 0) >= 5);
  if (!chosen) throw new Error('no well-stocked product with sizes among the search results');
  product = chosen;
});

afterAll(async () => {
  if (system?.process.exitCode === null) await system.stop('SIGTERM');
  await removeDataDir(dataDir);
});

describe('pay at counter through the gateway', () => {
  it('shows the slip while waiting, and approves the order once it is paid at the counter', async () => {
    const orderId = await placeCounterOrder();
    const { order, slip } = await slipOf(orderId);
    expect(order.status).toBe('pending');
    expect(order.payment.method).toBe('counter');
    expect(slip.paymentCode).toMatch(/^\d{15}$/);
    expect(slip.invoiceNumber).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(slip.barcodeSvg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);

    const paid = await payAtCounter(slip);
    expect(paid.status).toBe(201);
    expect(paid.body.status).toBe('confirmed');
    const ended = await waitForOrderToEnd(gatewayUrl, customer, orderId);
    expect(ended.status).toBe('approved');
    expect(ended.checkout.steps.every((step) => step.state === 'done')).toBe(true);
  });

  it('cancels the order when the slip expires unpaid, gives the stock back, and the counter refuses it after', async () => {
    const before = (await availableStock(gatewayUrl, [product.id])).get(product.id) ?? 0;
    const orderId = await placeCounterOrder();
    const { slip } = await slipOf(orderId);

    const ended = await waitForOrderToEnd(gatewayUrl, customer, orderId, (SLIP_TTL_SECONDS + 30) * 1000);
    expect(ended.status).toBe('cancelled');
    expect(ended.cancellation).toMatchObject({ state: 'completed', requestedBy: 'system', reason: 'PAYMENT_EXPIRED' });
    await expect
      .poll(async () => (await availableStock(gatewayUrl, [product.id])).get(product.id), { timeout: 15_000 })
      .toBe(before);
    const late = await payAtCounter(slip);
    expect(late.status).toBe(422);
    expect(late.body.billerCode).toBe('PAYMENT_SLIP_EXPIRED');
  });
});
