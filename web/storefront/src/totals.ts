import type { Money } from '@talad/contracts-common';
import type { Quote } from '@talad/contracts-shipping';
import { thb } from './money.ts';

export interface CheckoutTotals {
  subtotal: Money;
  shippingFee: Money;
  total: Money;
}

/** What the review step shows: the basket's subtotal and the chosen option's fee from the quote. */
export function checkoutTotals(subtotal: Money, quote: Quote | undefined, option: string): CheckoutTotals {
  const fee = quote?.options.find((offer) => offer.option === option)?.fee.amount ?? 0;
  return { subtotal, shippingFee: thb(fee), total: thb(subtotal.amount + fee) };
}

export function deliveryEstimate(days: { min: number; max: number }): string {
  return days.min === days.max
    ? `${days.min} business day${days.min === 1 ? '' : 's'}`
    : `${days.min}–${days.max} business days`;
}
