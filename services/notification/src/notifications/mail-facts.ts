import { OrderApproved, OrderCancelled, OrderPlaced, OrderRejected } from '@talad/contracts-ordering';
import { PaymentStatusChanged } from '@talad/contracts-payment';
import { ShipmentStatusChanged } from '@talad/contracts-shipping';
import { assertNever } from '@talad/core';
import type { ReceivedMessage } from '@talad/messaging';
import type { MailFacts } from '../mail/templates.ts';

/** Every event notification follows. `OrderPlaced` sends nothing: it tells whose order it is. */
export const NOTIFIED_MESSAGES = [
  OrderPlaced,
  OrderApproved,
  OrderRejected,
  OrderCancelled,
  PaymentStatusChanged,
  ShipmentStatusChanged,
] as const;

export type NotifiedMessage = ReceivedMessage<(typeof NOTIFIED_MESSAGES)[number]>;

/**
 * The mail an event calls for, or null for events nobody needs a mail about (a card authorized, a
 * parcel in transit). Payment received is said only for counter payments: a card payment's
 * confirmation is the order-confirmed mail.
 */
export function mailFactsOf(message: NotifiedMessage): MailFacts | null {
  switch (message.type) {
    case 'ordering.OrderPlaced.v1':
      return null;
    case 'ordering.OrderApproved.v1': {
      const { orderId, totals, lines } = message.data;
      const itemCount = lines.reduce((sum, line) => sum + line.quantity, 0);
      return { kind: 'order-confirmed', orderId, total: totals.total, itemCount };
    }
    case 'ordering.OrderRejected.v1':
      return { kind: 'rejected', orderId: message.data.orderId, reason: message.data.reason };
    case 'ordering.OrderCancelled.v1':
      return {
        kind: 'cancelled',
        orderId: message.data.orderId,
        slipExpired: message.data.reason === 'PAYMENT_EXPIRED',
      };
    case 'payment.PaymentStatusChanged.v1': {
      const { orderId, state, method, slip, amount } = message.data;
      if (state === 'pending' && slip) {
        return {
          kind: 'pay-slip',
          orderId,
          paymentCode: slip.paymentCode,
          invoiceNumber: slip.invoiceNumber,
          amount: slip.amount,
          expiresAt: slip.expiresAt,
        };
      }
      if (state === 'completed' && method === 'counter') return { kind: 'payment-received', orderId, amount };
      return null;
    }
    case 'shipping.ShipmentStatusChanged.v1': {
      const { orderId, status, trackingNumber, courier } = message.data;
      if (status === 'dispatched') return { kind: 'shipped', orderId, trackingNumber, courier };
      if (status === 'delivered') return { kind: 'delivered', orderId, trackingNumber };
      return null;
    }
    default:
      return assertNever(message);
  }
}

/** The customer the event names, when it names one (payment's events may not). */
export function customerNamedBy(message: NotifiedMessage): string | undefined {
  return message.data.customerId;
}
