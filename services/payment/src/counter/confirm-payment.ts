import type { Money } from '@talad/contracts-common';
import { PaymentCompleted } from '@talad/contracts-payment';
import { DomainError } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import type { PoolClient } from '@talad/pg';
import { PaymentErrorCode } from '../error-codes.ts';
import { publishPaymentStatus } from '../payments/payment-events.ts';
import { changePaymentState, lockPaymentByCode, recordWebhookDelivery } from '../payments/payment-repository.ts';
import type { Payment } from '../payments/payment.ts';

export interface CounterConfirmation {
  deliveryId: string;
  paymentCode: string;
  amount: Money;
}

/**
 * A counter service says a slip was paid: in one transaction, record the delivery (a replay is
 * refused), lock the slip's payment, and mark it completed with `PaymentCompleted` and
 * `PaymentStatusChanged` in the outbox. A slip past its expiry, cancelled, or paid with another amount
 * is refused, so the counter hands the money back. A second delivery for a completed slip changes nothing.
 */
export async function confirmCounterPayment(
  tx: PoolClient,
  publisher: Pick<Messaging, 'publish'>,
  confirmation: CounterConfirmation,
  now: Date,
): Promise<Payment> {
  const { deliveryId, paymentCode, amount } = confirmation;
  if (!(await recordWebhookDelivery(tx, { id: deliveryId, paymentCode, at: now }))) {
    throw new DomainError('conflict', PaymentErrorCode.WebhookReplayed, `delivery ${deliveryId} was accepted before`);
  }
  const payment = await lockPaymentByCode(tx, paymentCode);
  if (!payment?.slip || !payment.amount) {
    throw new DomainError('not-found', PaymentErrorCode.UnknownPaymentCode, 'no slip has this payment code');
  }
  switch (payment.state) {
    case 'completed':
      return payment;
    case 'expired':
      throw slipExpired(payment);
    case 'pending':
      break;
    default:
      throw new DomainError(
        'unprocessable',
        PaymentErrorCode.SlipCancelled,
        `slip ${payment.slip.invoiceNumber} was cancelled; do not take the money`,
      );
  }
  // Expired by the clock even if the sweeper has not come by yet.
  if (now.getTime() >= payment.slip.expiresAt.getTime()) throw slipExpired(payment);
  // Money is THB only, so the amount alone decides.
  if (amount.amount !== payment.amount.amount) {
    throw new DomainError(
      'unprocessable',
      PaymentErrorCode.AmountMismatch,
      `slip ${payment.slip.invoiceNumber} is for ${payment.amount.amount} ${payment.amount.currency} (minor units)`,
    );
  }
  const completed = await changePaymentState(tx, payment.id, 'completed', now);
  await publisher.publish(
    tx,
    PaymentCompleted,
    { orderId: completed.orderId, paymentId: completed.id, amount: payment.amount, paidAt: now.toISOString() },
    { key: completed.orderId },
  );
  await publishPaymentStatus(publisher, tx, completed, now);
  return completed;
}

function slipExpired(payment: Payment): DomainError {
  return new DomainError(
    'unprocessable',
    PaymentErrorCode.SlipExpired,
    `slip ${payment.slip?.invoiceNumber ?? ''} expired at ${payment.slip?.expiresAt.toISOString() ?? ''}; do not take the money`,
  );
}
