import { SAMPLE_ADDRESS } from '@talad/contracts-common/testing';
import type { OrderDetails } from '../orders/domain/index.ts';

const UNIT_PRICE = 129_000;

/**
 * One order of `quantity` pairs of a 1,290-baht shoe in size 42, free standard delivery, for the
 * given-when-then tests of the Order aggregate; the same ids every time.
 */
export function sampleOrderDetails(options: { quantity: number; paymentMethod: 'card' | 'counter' }): OrderDetails {
  const amount = UNIT_PRICE * options.quantity;
  return {
    orderId: '0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e',
    customerId: '0190f5c8-0000-7000-8000-000000000001',
    lines: [
      {
        productId: '0190f5c8-0000-7000-8000-0000000000aa',
        sku: 'SNK-TST-000001',
        name: 'Test Runner',
        size: '42',
        quantity: options.quantity,
        unitPrice: { amount: UNIT_PRICE, currency: 'THB' },
        lineTotal: { amount, currency: 'THB' },
      },
    ],
    totals: {
      subtotal: { amount, currency: 'THB' },
      shippingFee: { amount: 0, currency: 'THB' },
      total: { amount, currency: 'THB' },
    },
    shippingAddress: SAMPLE_ADDRESS,
    shippingOption: 'standard',
    paymentMethod: options.paymentMethod,
  };
}
