import { describe, expect, it } from 'vitest';
import { OrderViewSchema } from '@talad/contracts-ordering';
import type { PaySlip } from '@talad/contracts-payment';
import { decide, fold, type OrderEvent } from '../orders/domain/index.ts';
import { toOrderView } from '../orders/order-view.ts';
import { rejectionReasonOf } from './rejection-reason.ts';
import { sampleOrderDetails } from '../testing/order-details.ts';

/** An order paid at a counter: the slip checkout records on it, and how the order shows it. */
const details = sampleOrderDetails({ quantity: 1, paymentMethod: 'counter' });
const placed: OrderEvent = { type: 'OrderPlaced', data: { ...details, placedAt: '2026-03-01T10:00:00.000Z' } };
const slip: PaySlip = {
  invoiceNumber: 'INV-2026-000042',
  paymentCode: '482019374650121',
  barcodeSvg: '<svg xmlns="http://www.w3.org/2000/svg"/>',
  amount: { amount: 129_000, currency: 'THB' },
  expiresAt: '2026-03-03T10:00:00.000Z',
};
const at = '2026-03-01T10:00:01.000Z';

describe('an order paid at a counter', () => {
  it('records the slip payment issued, once', () => {
    const issued = decide({ type: 'RecordPaySlip', slip, at }, fold([placed]));
    expect(issued).toEqual([{ type: 'PaySlipIssued', data: { slip, issuedAt: at } }]);
    expect(decide({ type: 'RecordPaySlip', slip, at }, fold([placed, ...issued]))).toEqual([]);
  });

  it('shows the slip in its view, which the published schema accepts', () => {
    const waiting = toOrderView(fold([placed]) ?? never(), 1, null);
    expect(waiting.payment).toEqual({ method: 'counter', brand: null, last4: null, slip: null });
    const order = fold([placed, { type: 'PaySlipIssued', data: { slip, issuedAt: at } }]) ?? never();
    const view = toOrderView(order, 2, null);
    expect(view.payment).toEqual({ method: 'counter', brand: null, last4: null, slip });
    expect(view.status).toBe('pending');
    const parsed = OrderViewSchema.safeParse(view);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('is rejected for PAYMENT_EXPIRED when its slip expired', () => {
    expect(rejectionReasonOf('PAYMENT_EXPIRED')).toBe('PAYMENT_EXPIRED');
  });
});

function never(): never {
  throw new Error('expected an order');
}
