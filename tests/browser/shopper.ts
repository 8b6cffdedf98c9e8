/**
 * A person using the storefront, step by step, the way they would: by visible labels and roles only
 * (which also checks that those labels exist for screen readers).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { TEST_ADDRESS, TEST_CARDS, type TestCard } from '../support/shop-client.ts';

export class Shopper {
  readonly page: Page;
  readonly #shots: string;
  readonly #prefix: string;

  constructor(page: Page, screenshots: string, prefix: string) {
    this.page = page;
    this.#shots = screenshots;
    this.#prefix = prefix;
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(this.#shots, `${this.#prefix}-${name}.png`), fullPage: true });
  }

  async search(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Search products' }).fill(text);
    await this.page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
    await this.page.getByRole('heading', { level: 1, name: `Results for “${text}”` }).waitFor();
    await this.page.getByTestId('results').getByRole('link').first().waitFor();
  }

  async openProduct(name: string): Promise<void> {
    await this.page.getByRole('link', { name }).first().click();
    await this.page.getByRole('heading', { level: 1, name }).waitFor();
  }

  /** Chooses the first size on offer, adds one, and waits for the confirmation; returns the size. */
  async addFirstSize(): Promise<string> {
    const size = this.page.locator('.size-options label').first();
    const label = (await size.textContent()) ?? '';
    await size.click();
    await this.page.getByRole('button', { name: 'Add to basket' }).click();
    await this.page.getByTestId('added').waitFor();
    return label.trim();
  }

  /** Adds one to the basket, choosing the first size when the product comes in sizes. */
  async addToBasket(): Promise<void> {
    await this.page.getByRole('button', { name: /^(Add to basket|Sold out)$/ }).waitFor();
    const sizes = this.page.locator('.size-options label');
    if ((await sizes.count()) > 0) await sizes.first().click();
    await this.page.getByRole('button', { name: 'Add to basket' }).click();
    await this.page.getByTestId('added').waitFor();
  }

  async goToCheckout(): Promise<void> {
    await this.page.getByRole('link', { name: 'View basket' }).click();
    await this.page.getByRole('heading', { level: 1, name: 'Your basket' }).waitFor();
    await this.screenshot('basket');
    await this.page.getByRole('button', { name: 'Check out' }).click();
    await this.page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
  }

  async signUpInline(): Promise<string> {
    const email = `shopper-${randomUUID().slice(0, 8)}@example.test`;
    await this.page.getByLabel('Your name').fill('Somchai Jaidee');
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill('Sneakers-2026');
    await this.page.getByRole('button', { name: 'Create account and continue' }).click();
    await this.page.getByRole('heading', { name: '2. Delivery address' }).waitFor();
    return email;
  }

  async enterAddress(): Promise<void> {
    await this.page.getByLabel('Full name').fill(TEST_ADDRESS.name);
    await this.page.getByLabel('Phone').fill(TEST_ADDRESS.phone);
    await this.page.getByLabel('House number, building, street').fill(TEST_ADDRESS.line1);
    await this.page.getByLabel('Subdistrict').fill(TEST_ADDRESS.subdistrict);
    await this.page.getByLabel('District', { exact: true }).fill(TEST_ADDRESS.district);
    await this.page.getByLabel('Province').fill(TEST_ADDRESS.province);
    await this.page.getByLabel('Postal code').fill(TEST_ADDRESS.postalCode);
    await this.page.getByRole('button', { name: 'Deliver here' }).click();
  }

  /** Picks standard delivery; returns the fee text the page shows for it. */
  async chooseStandardDelivery(): Promise<string> {
    const option = this.page.locator('label.option', { hasText: 'Standard delivery' });
    await option.waitFor();
    await option.click();
    const fee = ((await option.locator('.option-fee').textContent()) ?? '').trim();
    await this.screenshot('delivery');
    await this.page.getByRole('button', { name: 'Continue to payment' }).click();
    return fee;
  }

  async payByCard(card: TestCard): Promise<void> {
    await this.page.getByLabel('Card number').fill(TEST_CARDS[card]);
    await this.page.getByLabel('Expiry (MM / YY)').fill(`12 / ${String(new Date().getFullYear() + 3).slice(2)}`);
    await this.page.getByLabel('Security code').fill('123');
    await this.page.getByLabel('Name on card').fill('SOMCHAI JAIDEE');
    await this.screenshot('payment');
    await this.page.getByRole('button', { name: 'Continue to review' }).click();
    await this.page.getByRole('button', { name: /^Place order/ }).waitFor();
  }

  /** Chooses to pay at a counter service: no card, a pay slip after the order is placed. */
  async payAtCounter(): Promise<void> {
    await this.page.getByRole('radio', { name: /Pay at a counter service/ }).check();
    await this.screenshot('payment-counter');
    await this.page.getByRole('button', { name: 'Continue to review' }).click();
    await this.page.getByRole('button', { name: /^Place order/ }).waitFor();
  }

  /** Follows the header's "My orders" link. */
  async openMyOrders(): Promise<void> {
    await this.page.getByRole('link', { name: 'My orders', exact: true }).first().click();
    await this.page.getByRole('heading', { level: 1, name: 'My orders' }).waitFor();
  }

  /** The row of one order in "my orders". */
  orderRow(orderId: string) {
    return this.page.locator(`li.order-row[data-order-id="${orderId}"]`);
  }

  /** The signed-in person's access token, as the page keeps it, for calls the test makes beside the page. */
  async accessToken(): Promise<string> {
    const stored = await this.page.evaluate<string | null>("window.localStorage.getItem('talad.session')");
    return (JSON.parse(stored ?? '{}') as { accessToken: string }).accessToken;
  }

  /** Places the order and waits for the summary page; returns the order number shown. */
  async placeOrder(): Promise<string> {
    await this.screenshot('review');
    await this.page.getByRole('button', { name: /^Place order/ }).click();
    await this.page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    const number = (await this.page.getByTestId('order-number').textContent()) ?? '';
    expect(this.page.url()).toContain(number);
    return number;
  }

  async waitForStatus(status: string): Promise<void> {
    await this.page.getByTestId('order-status').filter({ hasText: status }).waitFor({ timeout: 60_000 });
  }
}
