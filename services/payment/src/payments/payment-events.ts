import { PaymentStatusChanged } from '@talad/contracts-payment';
import type { Messaging } from '@talad/messaging';
import type { PoolClient } from '@talad/pg';
import { paySlipOf } from '../counter/pay-slip.ts';
import type { Payment } from './payment.ts';

/**
 * Announces a payment's new state on `payment.events` (keyed by order id), in the transaction that
 * changed it, as a whole picture: the card's receipt or the counter slip. A tombstone (`closed`) held
 * no money and is not announced.
 */
export async function publishPaymentStatus(
  publisher: Pick<Messaging, 'publish'>,
  tx: PoolClient,
  payment: Payment,
  at: Date,
): Promise<void> {
  if (payment.state === 'closed' || !payment.amount) return;
  await publisher.publish(
    tx,
    PaymentStatusChanged,
    {
      orderId: payment.orderId,
      paymentId: payment.id,
      ...(payment.customerId ? { customerId: payment.customerId } : {}),
      method: payment.method,
      state: payment.state,
      amount: payment.amount,
      card: payment.brand && payment.last4 ? { brand: payment.brand, last4: payment.last4 } : null,
      slip: paySlipOf(payment),
      reason: payment.declineReason,
      changedAt: at.toISOString(),
    },
    { key: payment.orderId },
  );
}
