import type { Money } from '@talad/contracts-common';
import type { DECLINE_REASONS } from '@talad/contracts-payment';

/** Why the provider (or Talad, for a tombstone) refused the payment: a business answer. */
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const PAYMENT_STATES = ['authorized', 'declined', 'captured', 'voided', 'refunded', 'closed'] as const;
/**
 * Where a payment stands. `closed` is a tombstone: the order's payment was voided or refunded before
 * it was ever authorized, and any later authorization for the order is declined.
 */
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** One order's payment, as stored. */
export interface Payment {
  id: string;
  orderId: string;
  customerId: string | null;
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
}
