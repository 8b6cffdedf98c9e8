import { describe, expect, it } from 'vitest';
import { isDomainError } from '@talad/core';
import type { ShippingRate } from '@talad/contracts-shipping';
import { priceOrder, type PricedProduct, type PricingInput } from './pricing.ts';

const sneaker: PricedProduct = {
  id: '0190f5c8-0000-7000-8000-0000000000aa',
  sku: 'SNK-TST-000001',
  name: 'Test Runner',
  priceAmount: 129_000,
  sizes: ['41', '42'],
};
const socks: PricedProduct = {
  id: '0190f5c8-0000-7000-8000-0000000000bb',
  sku: 'ACC-TST-000002',
  name: 'Plain Socks',
  priceAmount: 9_900,
  sizes: [],
};
const rates: ShippingRate[] = [
  {
    option: 'standard',
    fee: { amount: 5_000, currency: 'THB' },
    freeFrom: { amount: 100_000, currency: 'THB' },
    estimatedDays: { min: 2, max: 4 },
  },
  { option: 'express', fee: { amount: 15_000, currency: 'THB' }, freeFrom: null, estimatedDays: { min: 1, max: 1 } },
];

function input(
  lines: PricingInput['lines'],
  shippingOption: PricingInput['shippingOption'] = 'standard',
): PricingInput {
  return { lines, products: new Map([sneaker, socks].map((product) => [product.id, product])), rates, shippingOption };
}

function refusal(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return isDomainError(error) ? error.code : String(error);
  }
  return undefined;
}

describe('pricing an order from the replicas', () => {
  it('prices lines at the replica price, with free standard shipping from the threshold', () => {
    const priced = priceOrder(input([{ productId: sneaker.id, size: '42', quantity: 2 }]));
    expect(priced.lines[0]).toMatchObject({ sku: 'SNK-TST-000001', size: '42', lineTotal: { amount: 258_000 } });
    expect(priced.totals).toEqual({
      subtotal: { amount: 258_000, currency: 'THB' },
      shippingFee: { amount: 0, currency: 'THB' },
      total: { amount: 258_000, currency: 'THB' },
    });
  });

  it('charges the fee below the threshold, and always for an option without one', () => {
    expect(priceOrder(input([{ productId: socks.id, quantity: 1 }])).totals.total.amount).toBe(9_900 + 5_000);
    expect(
      priceOrder(input([{ productId: sneaker.id, size: '41', quantity: 1 }], 'express')).totals.shippingFee.amount,
    ).toBe(15_000);
  });

  it.each([
    ['an empty order', [], 'ORDERING_EMPTY_ORDER'],
    [
      'an unknown product',
      [{ productId: '0190f5c8-0000-7000-8000-0000000000cc', quantity: 1 }],
      'ORDERING_UNKNOWN_PRODUCT',
    ],
    ['a quantity of 0', [{ productId: socks.id, quantity: 0 }], 'ORDERING_INVALID_QUANTITY'],
    ['a quantity above the limit', [{ productId: socks.id, quantity: 21 }], 'ORDERING_INVALID_QUANTITY'],
    ['a size the product lacks', [{ productId: sneaker.id, size: '47', quantity: 1 }], 'ORDERING_INVALID_SIZE'],
    ['a size for a product without sizes', [{ productId: socks.id, size: 'M', quantity: 1 }], 'ORDERING_INVALID_SIZE'],
    ['no size for a product with sizes', [{ productId: sneaker.id, quantity: 1 }], 'ORDERING_SIZE_REQUIRED'],
    [
      'the same product and size twice',
      [
        { productId: sneaker.id, size: '42', quantity: 1 },
        { productId: sneaker.id, size: '42', quantity: 1 },
      ],
      'ORDERING_DUPLICATE_LINE',
    ],
  ])('refuses %s', (_, lines, code) => {
    expect(refusal(() => priceOrder(input(lines)))).toBe(code);
  });

  it('accepts one product in two sizes on two lines', () => {
    const priced = priceOrder(
      input([
        { productId: sneaker.id, size: '41', quantity: 1 },
        { productId: sneaker.id, size: '42', quantity: 1 },
      ]),
    );
    expect(priced.lines.map((line) => line.size)).toEqual(['41', '42']);
  });

  it('is unavailable, not bad input, while the shipping rates are unknown', () => {
    expect(refusal(() => priceOrder({ ...input([{ productId: socks.id, quantity: 1 }]), rates: [] }))).toBe(
      'ORDERING_SHIPPING_RATES_UNAVAILABLE',
    );
  });
});
