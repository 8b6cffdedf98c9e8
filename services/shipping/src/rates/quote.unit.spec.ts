import { describe, expect, it } from 'vitest';
import type { ShippingRate } from '@talad/contracts-shipping';
import { checkRateTable } from './rate-table.ts';
import { quoteFor } from './quote.ts';

const baht = (value: number) => ({ amount: value * 100, currency: 'THB' as const });
const rates: ShippingRate[] = [
  { option: 'standard', fee: baht(50), freeFrom: baht(1_000), estimatedDays: { min: 2, max: 4 } },
  { option: 'express', fee: baht(120), freeFrom: null, estimatedDays: { min: 1, max: 1 } },
];

describe('quoteFor', () => {
  it('charges every fee below the threshold', () => {
    const quote = quoteFor(rates, { amount: 99_999, currency: 'THB' });
    expect(quote.options.map((option) => [option.option, option.fee.amount])).toEqual([
      ['standard', 5_000],
      ['express', 12_000],
    ]);
  });

  it('ships free from the threshold exactly, and never for an option without one', () => {
    const quote = quoteFor(rates, baht(1_000));
    expect(quote.subtotal).toEqual(baht(1_000));
    expect(quote.options.map((option) => [option.option, option.fee.amount])).toEqual([
      ['standard', 0],
      ['express', 12_000],
    ]);
  });
});

describe('checkRateTable', () => {
  it('refuses an option twice and delivery days the wrong way round', () => {
    expect(() => checkRateTable([rates[0]!, rates[0]!])).toThrow(
      expect.objectContaining({ code: 'SHIPPING_DUPLICATE_OPTION' }),
    );
    expect(() => checkRateTable([{ ...rates[0]!, estimatedDays: { min: 5, max: 2 } }])).toThrow(
      expect.objectContaining({ code: 'SHIPPING_INVALID_DELIVERY_DAYS' }),
    );
    expect(() => checkRateTable(rates)).not.toThrow();
  });
});
