import { ORDER_REJECTION_REASONS } from '@talad/contracts-ordering';
import type { OrderRejectionReason } from '../orders/index.ts';

/** Participants' reasons that ordering publishes under another name. */
const RENAMED: Readonly<Record<string, OrderRejectionReason>> = {
  // payment's decline reasons (contracts/payment DECLINE_REASONS)
  DECLINED: 'PAYMENT_DECLINED',
  PROCESSING_ERROR: 'PAYMENT_PROCESSING_ERROR',
};

/**
 * The reason an order is rejected for, from the reason the checkout saga compensated for: a failure
 * reply's own reason (identity, inventory, payment) or `STEP_TIMED_OUT`. A reason ordering does not know
 * (a participant's newer contract) is published as a timeout, the one reason that blames no one.
 */
export function rejectionReasonOf(reason: string): OrderRejectionReason {
  const renamed = RENAMED[reason];
  if (renamed) return renamed;
  return (ORDER_REJECTION_REASONS as readonly string[]).includes(reason)
    ? (reason as OrderRejectionReason)
    : 'STEP_TIMED_OUT';
}
