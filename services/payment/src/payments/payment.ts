import type { Money } from '@talad/contracts-common';
import type { DECLINE_REASONS } from '@talad/contracts-payment';

/** Why the provider (or Talad, for a tombstone) refused the payment: a business answer. */
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const PAYMENT_STATES = [
  'authorized',
  'declined',
  'captured',
  'voided',
  'refunded',
  'closed',
  'pending',
  'completed',
  'expired',
] as const;
/**
 * Where a payment stands. `closed` is a tombstone: the order's payment was voided or refunded before
 * it was ever authorized, and any later authorization for the order is declined. A counter payment is
 * `pending` (its slip issued), then `completed` (paid at a counter), `expired`, or `voided` (the slip
 * cancelled: a later payment at a counter is refused); a completed one may be `refunded`.
 */
export type PaymentState = (typeof PAYMENT_STATES)[number];

export type PaymentMethodType = 'card' | 'counter';

/** A counter payment's slip as stored; its barcode is drawn from the payment code when shown. */
export interface StoredSlip {
  invoiceNumber: string;
  paymentCode: string;
  expiresAt: Date;
}

/** One order's payment, as stored. */
export interface Payment {
  id: string;
  orderId: string;
  customerId: string | null;
  method: PaymentMethodType;
  state: PaymentState;
  /** Null only for a tombstone. */
  amount: Money | null;
  cardToken: string | null;
  brand: string | null;
  last4: string | null;
  providerAuthorizationId: string | null;
  declineReason: DeclineReason | null;
  createdAt: Date;
  updatedAt: Date;
  authorizedAt: Date | null;
  capturedAt: Date | null;
  voidedAt: Date | null;
  refundedAt: Date | null;
  /** Counter payments only. */
  slip: StoredSlip | null;
  completedAt: Date | null;
  expiredAt: Date | null;
}
