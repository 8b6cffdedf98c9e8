/**
 * The storefront in a real browser (Debian's Chromium through playwright-core) against the whole
 * system started as `npm start` starts it: the journey a person takes, with the success card, the
 * decline card and on a phone; and the sold-out badge. Screenshots of the key screens go to the
 * folder printed at the start.
 */
import type { BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, searchProducts } from '../support/shop-client.ts';
import { chromiumSkipReason } from './browser.ts';
import { startBrowserShop, type BrowserShop } from './browser-shop.ts';
import type { Shopper } from './shopper.ts';

// Its own ports, so it never collides with a running shop or another whole-system test.
const PORT_OFFSET = 2_500;
const PRODUCT = 'POCA SHOE NMD Sneakers';
const skipReason = chromiumSkipReason();

let shop: BrowserShop | undefined;

beforeAll(async () => {
  if (skipReason) return;
  shop = await startBrowserShop('storefront', PORT_OFFSET);
});

afterAll(async () => {
  await shop?.close();
});

/** A new person in a new browser context, with every request to Talad that carried a card number noted. */
async function newShopper(prefix: string, options: BrowserContextOptions = {}) {
  const session = await shop!.newShopper(prefix, options);
  const cardSeenByTalad: string[] = [];
  session.page.on('request', (request) => {
    if (request.url().startsWith(shop!.gatewayUrl) && /4242|0002/.test(request.postData() ?? '')) {
      cardSeenByTalad.push(request.url());
    }
  });
  return { ...session, cardSeenByTalad };
}

/** Search, product, size, basket, inline sign-up, address, delivery: up to the payment step. */
async function shopUntilPayment(shopper: Shopper): Promise<{ fee: string }> {
  await shopper.page.goto(`${shop!.gatewayUrl}/`);
  await shopper.search('nmd');
  await shopper.screenshot('search');
  await shopper.openProduct(PRODUCT);
  await expect.poll(() => shopper.page.getByTestId('stock').textContent()).toMatch(/In stock|left/);
  await shopper.addFirstSize();
  await shopper.screenshot('product');
  expect(await shopper.page.getByTestId('basket-count').textContent()).toBe('1');
  await shopper.goToCheckout();
  await shopper.signUpInline();
  await shopper.enterAddress();
  const fee = await shopper.chooseStandardDelivery();
  return { fee };
}

describe.skipIf(skipReason !== undefined)('the storefront in Chromium', () => {
  it('takes a person from search to an approved order paid by card, with no console errors', async () => {
    const { shopper, page, errors, cardSeenByTalad } = await newShopper('desktop');
    const { fee } = await shopUntilPayment(shopper);

    // The fee shown is the shipping service's quote for this basket.
    const product = (await searchProducts(shop!.gatewayUrl, 'poca shoe nmd')).find((item) => item.name === PRODUCT)!;
    const quote = await call<{ options: Array<{ option: string; fee: { amount: number } }> }>(
      `${shop!.gatewayUrl}/api/shipping/quote?subtotal=${product.price.amount}`,
    );
    const standardFee = quote.body.options.find((option) => option.option === 'standard')!.fee.amount;
    const baht = (satang: number) =>
      new Intl.NumberFormat('th-TH', { style: 'currency', currency: 'THB' }).format(satang / 100);
    expect(fee).toBe(standardFee === 0 ? 'Free' : baht(standardFee));

    const tokenized = page.waitForResponse((response) => response.url().endsWith('/v1/tokens'));
    await shopper.payByCard('success');
    expect((await tokenized).status()).toBe(201);
    expect(await page.getByTestId('order-total').textContent()).toBe(baht(product.price.amount + standardFee));

    const orderNumber = await shopper.placeOrder();
    expect(orderNumber).toMatch(/^[0-9a-f-]{36}$/);
    await shopper.waitForStatus('approved');
    await page.getByRole('heading', { name: 'Thank you! Your order is confirmed.' }).waitFor();
    await expect.poll(() => page.getByTestId('basket-count').textContent(), { timeout: 15_000 }).toBe('0');
    await shopper.screenshot('summary');

    expect(cardSeenByTalad).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('tells a person whose card is declined that nothing was charged', async () => {
    const { shopper, page, errors } = await newShopper('declined');
    await shopUntilPayment(shopper);
    await shopper.payByCard('declined');
    await shopper.placeOrder();
    await shopper.waitForStatus('rejected');
    await expect
      .poll(() => page.getByTestId('rejection').textContent())
      .toContain('Your card was declined by the bank. Nothing was charged.');
    await shopper.screenshot('declined');
    expect(errors).toEqual([]);
  });

  it('works on a phone-sized screen', async () => {
    const { shopper, page, errors } = await newShopper('phone', {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await shopUntilPayment(shopper);
    // Nothing sticks out sideways: the page is exactly as wide as the screen.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shopper.payByCard('success');
    await shopper.placeOrder();
    await shopper.waitForStatus('approved');
    await shopper.screenshot('summary');
    expect(errors).toEqual([]);
  });

  it('shows a sold-out product as sold out, and will not add it', async () => {
    const [product] = (await searchProducts(shop!.gatewayUrl, 'headphones', 5)).slice(-1);
    const admin = await shop!.admin();
    await admin.call('PUT', `/api/inventory/admin/stock/${product!.id}`, { onHand: 0 });

    const { shopper, page, errors } = await newShopper('sold-out');
    await page.goto(`${shop!.gatewayUrl}/products/${product!.id}`);
    await page.getByRole('heading', { level: 1, name: product!.name }).waitFor();
    await expect.poll(() => page.getByTestId('stock').textContent()).toBe('Sold out');
    expect(await page.getByRole('button', { name: 'Sold out' }).isDisabled()).toBe(true);
    await shopper.screenshot('product');
    expect(errors).toEqual([]);
  });
});
