/**
 * The storefront after "Place order", in Chromium against the whole system: paying at a counter (the
 * pay slip, printable, then paid through the counter-service simulator, and the order moving on in "my
 * orders"), cancelling from "my orders", and a product selling out while its buyer checks out. Each
 * saves screenshots of its key screens to the folder printed at the start; none may log a console error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../tools/talad/src/topology.ts';
import { call, searchProducts } from '../support/shop-client.ts';
import { chromiumSkipReason } from './browser.ts';
import { startBrowserShop, type BrowserShop } from './browser-shop.ts';
import type { Shopper } from './shopper.ts';

// Its own ports, beside a running shop and the other browser tests.
const PORT_OFFSET = 2_700;
const PRODUCT = 'POCA SHOE NMD Sneakers';
const skipReason = chromiumSkipReason();

let shop: BrowserShop | undefined;

beforeAll(async () => {
  if (skipReason) return;
  shop = await startBrowserShop('storefront-after-checkout', PORT_OFFSET);
});

afterAll(async () => {
  await shop?.close();
});

/** The counter-service simulator's address in this system, from the topology (as talad gives it ports). */
function counterServiceUrl(): string {
  const simulator = topology.services.find((service) => service.name.startsWith('counter'));
  if (!simulator) throw new Error('the counter-service simulator is not in tools/talad/src/topology.ts');
  return `http://127.0.0.1:${simulator.port + PORT_OFFSET}`;
}

/** Search, product, basket, inline sign-up, address, standard delivery: up to the payment step. */
async function shopUntilPayment(shopper: Shopper): Promise<void> {
  await shopper.page.goto(`${shop!.gatewayUrl}/`);
  await shopper.search('nmd');
  await shopper.openProduct(PRODUCT);
  await shopper.addToBasket();
  await shopper.goToCheckout();
  await shopper.signUpInline();
  await shopper.enterAddress();
  await shopper.chooseStandardDelivery();
}

/** Places an order paid at a counter and waits for its pay slip; returns the order number. */
async function placeCounterOrder(shopper: Shopper): Promise<string> {
  await shopUntilPayment(shopper);
  await shopper.payAtCounter();
  expect(await shopper.page.locator('.review-details').textContent()).toContain('Pay at a counter service');
  const orderId = await shopper.placeOrder();
  await shopper.page.getByTestId('pay-slip').waitFor({ timeout: 30_000 });
  return orderId;
}

describe.skipIf(skipReason !== undefined)('the storefront after checkout, in Chromium', () => {
  it('gives a printable pay slip, and the order moves on in "my orders" once the slip is paid at a counter', async () => {
    const { shopper, page, errors } = await shop!.newShopper('counter');
    const orderId = await placeCounterOrder(shopper);
    await page.getByRole('heading', { level: 1, name: 'Your order is waiting for payment' }).waitFor();
    // The order is placed (only its payment waits): the basket is empty already.
    await expect.poll(() => page.getByTestId('basket-count').textContent(), { timeout: 15_000 }).toBe('0');

    // The slip: invoice number, the fifteen-digit code, the barcode as an image, the amount and the expiry.
    const token = await shopper.accessToken();
    const order = await call<{ totals: { total: { amount: number } } }>(`${shop!.gatewayUrl}/api/orders/${orderId}`, {
      token,
    });
    const total = order.body.totals.total.amount;
    const paymentCode = ((await page.getByTestId('payment-code').textContent()) ?? '').replace(/\s/g, '');
    expect(paymentCode).toMatch(/^\d{15}$/);
    expect(((await page.getByTestId('invoice-number').textContent()) ?? '').trim()).not.toBe('');
    expect(await page.getByTestId('slip-amount').textContent()).toBe(
      new Intl.NumberFormat('th-TH', { style: 'currency', currency: 'THB' }).format(total / 100),
    );
    expect(await page.getByTestId('slip-expiry').textContent()).toMatch(/left\)$/);
    const barcode = page.getByTestId('barcode');
    expect(await barcode.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,/);
    expect(await barcode.getAttribute('alt')).toContain(paymentCode.slice(0, 5));
    // Drawn as a picture, and none of its markup in the page itself.
    await expect
      .poll(() => barcode.evaluate((image: { naturalWidth: number }) => image.naturalWidth))
      .toBeGreaterThan(0);
    expect(await page.locator('[data-testid="pay-slip"] svg').count()).toBe(0);
    await shopper.screenshot('pay-slip');

    // Printed, the slip stands alone: no header, no buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print pay slip' }).isVisible()).toBe(false);
    expect(await page.getByTestId('pay-slip').isVisible()).toBe(true);
    await shopper.screenshot('pay-slip-print');
    await page.emulateMedia({ media: 'screen' });

    await shopper.openMyOrders();
    const row = shopper.orderRow(orderId);
    await expect.poll(() => row.getByTestId('order-stage').textContent()).toBe('Waiting for payment');
    await shopper.screenshot('my-orders-waiting');

    // The customer pays at a counter; the counter service tells payment, and the order goes ahead.
    const paid = await call<{ status: string }>(`${counterServiceUrl()}/v1/payments`, {
      method: 'POST',
      body: { paymentCode, amount: total },
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body.status).toBe('confirmed');
    await expect
      .poll(() => row.getByTestId('order-stage').textContent(), { timeout: 45_000 })
      .toMatch(/^(Paid, being packed|On its way|Delivered)$/);
    await shopper.screenshot('my-orders-paid');

    await row.getByRole('link').click();
    await shopper.waitForStatus('approved');
    await page.locator('.milestone-paid.milestone-done').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('pay-slip').count()).toBe(0);
    expect(await page.getByTestId('payment-method').textContent()).toBe('Paid at a counter service');
    await shopper.screenshot('order-paid');
    expect(errors).toEqual([]);
  });

  it('cancels an order waiting for payment from "my orders"', async () => {
    const { shopper, page, errors } = await shop!.newShopper('cancel');
    const orderId = await placeCounterOrder(shopper);

    await shopper.openMyOrders();
    await shopper.orderRow(orderId).getByRole('link').click();
    await page.getByTestId('order-number').filter({ hasText: orderId }).waitFor();
    await shopper.screenshot('before-cancel');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Cancel order' }).click();

    await shopper.waitForStatus('cancelled');
    await expect
      .poll(() => page.getByTestId('cancelled').textContent(), { timeout: 20_000 })
      .toContain('Nothing was charged');
    await page.locator('.milestone-cancelled.milestone-done').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    expect(await page.getByTestId('pay-slip').count()).toBe(0);
    await shopper.screenshot('cancelled');

    await shopper.openMyOrders();
    await expect
      .poll(() => shopper.orderRow(orderId).getByTestId('order-stage').textContent(), { timeout: 20_000 })
      .toBe('Cancelled');
    await shopper.screenshot('my-orders-cancelled');
    expect(errors).toEqual([]);
  });

  it('tells a person plainly when a product sells out while they check out, and charges nothing', async () => {
    const [product] = await searchProducts(shop!.gatewayUrl, 'watch', 1);
    expect(product).toBeDefined();
    const { shopper, page, errors } = await shop!.newShopper('sold-out-at-checkout');
    await page.goto(`${shop!.gatewayUrl}/products/${product!.id}`);
    await page.getByRole('heading', { level: 1, name: product!.name }).waitFor();
    await shopper.addToBasket();
    await shopper.goToCheckout();
    await shopper.signUpInline();
    await shopper.enterAddress();
    await shopper.chooseStandardDelivery();
    await shopper.payByCard('success');

    // Someone else bought the last ones while this person was on the review step.
    const admin = await shop!.admin();
    await admin.call('PUT', `/api/inventory/admin/stock/${product!.id}`, { onHand: 0 });

    await shopper.placeOrder();
    await shopper.waitForStatus('rejected');
    await expect
      .poll(() => page.getByTestId('rejection').textContent())
      .toContain('Sorry, an item sold out while you were checking out. Nothing was charged.');
    await shopper.screenshot('sold-out');
    expect(errors).toEqual([]);
  });
});
