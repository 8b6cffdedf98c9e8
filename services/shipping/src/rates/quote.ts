import type { Money } from '@talad/contracts-common';
import type { Quote, ShippingRate } from '@talad/contracts-shipping';

/**
 * What each delivery option costs for an order of `subtotal`: its fee, or nothing once the subtotal
 * reaches the option's free-shipping threshold. Pure, so ordering's replica can price the same way.
 *
 * @example
 * quoteFor(rates, { amount: 100_000, currency: 'THB' }); // standard free from 1,000 THB: fee 0
 */
export function quoteFor(rates: readonly ShippingRate[], subtotal: Money): Quote {
  return {
    subtotal,
    options: rates.map((rate) => ({
      option: rate.option,
      fee: feeFor(rate, subtotal),
      estimatedDays: rate.estimatedDays,
    })),
  };
}

export function feeFor(rate: ShippingRate, subtotal: Money): Money {
  const free = rate.freeFrom !== null && subtotal.amount >= rate.freeFrom.amount;
  return { amount: free ? 0 : rate.fee.amount, currency: rate.fee.currency };
}
