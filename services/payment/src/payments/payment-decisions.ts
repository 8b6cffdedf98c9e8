import { assertNever } from '@talad/core';
import type { DeclineReason, Payment, PaymentMethodType, PaymentState, StoredSlip } from './payment.ts';

/** The four commands of the checkout saga, by what they ask. */
export type PaymentCommandKind = 'authorize' | 'capture' | 'void' | 'refund';

/** What handling a command takes, given the order's payment as stored (null: none yet). */
export type Plan =
  /** The stored payment already answers the command (a duplicate, or nothing to undo). */
  | { kind: 'answer' }
  /** No payment yet: ask the provider to authorize. */
  | { kind: 'authorize' }
  /** No payment yet, to be paid at a counter: issue a slip, the money comes later. */
  | { kind: 'issue-slip' }
  /**
   * A counter payment moves without the provider: a pending slip is cancelled (voided, so a later
   * payment at a counter is refused), a completed one is refunded.
   */
  | { kind: 'local'; to: 'voided' | 'refunded' }
  /** Move the authorization at the provider, then store the new state. */
  | { kind: 'provider'; action: 'capture' | 'void' | 'refund'; to: 'captured' | 'voided' | 'refunded' }
  /**
   * Nothing was authorized that we know of: void at the provider any authorization under the order's
   * reference (an earlier try may have acted without us hearing the answer) and leave a tombstone.
   */
  | { kind: 'close' }
  /** The saga asked for something that cannot follow from the payment's state: a bug, not a business answer. */
  | { kind: 'impossible'; reason: string };

const CAPTURE: Plan = { kind: 'provider', action: 'capture', to: 'captured' };
const VOID: Plan = { kind: 'provider', action: 'void', to: 'voided' };
const REFUND: Plan = { kind: 'provider', action: 'refund', to: 'refunded' };
const CANCEL_SLIP: Plan = { kind: 'local', to: 'voided' };
const REFUND_AT_COUNTER: Plan = { kind: 'local', to: 'refunded' };

/**
 * Every command is idempotent per order. A duplicate is answered from the stored payment. Void and
 * refund undo whatever was done: a void of a captured payment refunds it, a refund of one only
 * authorized voids it, and with nothing to undo they succeed and leave a tombstone, so an authorization
 * that arrives after its own compensation (a late or replayed command) is declined instead of holding money.
 *
 * @example
 * planFor('void', null); // { kind: 'close' }
 * planFor('authorize', 'closed'); // { kind: 'close' }, answered as declined
 * planFor('capture', 'captured'); // { kind: 'answer' }
 * planFor('authorize', null, 'counter'); // { kind: 'issue-slip' }
 * planFor('capture', 'completed'); // { kind: 'answer' }: the money came at the counter
 */
export function planFor(
  command: PaymentCommandKind,
  state: PaymentState | null,
  method: PaymentMethodType = 'card',
): Plan {
  switch (command) {
    case 'authorize':
      if (state === null) return method === 'counter' ? { kind: 'issue-slip' } : { kind: 'authorize' };
      return state === 'closed' ? { kind: 'close' } : { kind: 'answer' };
    case 'capture':
      if (state === 'authorized') return CAPTURE;
      // A counter payment is captured when it is paid: capturing it again changes nothing.
      if (state === 'captured' || state === 'completed') return { kind: 'answer' };
      return { kind: 'impossible', reason: `cannot capture a payment that is ${state ?? 'not authorized'}` };
    case 'void':
      if (state === null) return { kind: 'close' };
      if (state === 'authorized') return VOID;
      if (state === 'captured') return REFUND;
      if (state === 'pending') return CANCEL_SLIP;
      if (state === 'completed') return REFUND_AT_COUNTER;
      return { kind: 'answer' };
    case 'refund':
      if (state === null) return { kind: 'close' };
      if (state === 'captured') return REFUND;
      if (state === 'authorized') return VOID;
      if (state === 'completed') return REFUND_AT_COUNTER;
      if (state === 'pending') return CANCEL_SLIP;
      return { kind: 'answer' };
    default:
      return assertNever(command);
  }
}

/** The reply a command gets, from the payment as it stands once the command was handled. */
export type Answer =
  | { kind: 'authorized'; paymentId: string; amount: NonNullable<Payment['amount']>; brand: string; last4: string }
  | { kind: 'pending'; paymentId: string; amount: NonNullable<Payment['amount']>; slip: StoredSlip }
  | { kind: 'declined'; paymentId: string; reason: DeclineReason }
  | { kind: 'captured'; paymentId: string; amount: NonNullable<Payment['amount']> }
  | { kind: 'voided'; paymentId: string | undefined }
  | { kind: 'refunded'; paymentId: string | undefined; amount: NonNullable<Payment['amount']> };

const NOTHING: NonNullable<Payment['amount']> = { amount: 0, currency: 'THB' };

/**
 * The answer to a command. An authorization that happened answers "authorized" even after it was
 * captured or undone (that is the stored result of the authorize command); a tombstone answers
 * "declined"; undoing what never held money answers without a payment id.
 */
export function answerFor(command: PaymentCommandKind, payment: Payment): Answer {
  const { id: paymentId, state } = payment;
  if (payment.method === 'counter') return counterAnswerFor(command, payment);
  const wasAuthorized = state === 'authorized' || state === 'captured' || state === 'voided' || state === 'refunded';
  switch (command) {
    case 'authorize':
      if (state === 'closed') return { kind: 'declined', paymentId, reason: 'DECLINED' };
      if (state === 'declined') return { kind: 'declined', paymentId, reason: payment.declineReason ?? 'DECLINED' };
      return {
        kind: 'authorized',
        paymentId,
        amount: amountOf(payment),
        brand: payment.brand ?? '',
        last4: payment.last4 ?? '',
      };
    case 'capture':
      if (state !== 'captured') throw new Error(`payment ${paymentId} is ${state}, not captured`);
      return { kind: 'captured', paymentId, amount: amountOf(payment) };
    case 'void':
      return { kind: 'voided', paymentId: wasAuthorized ? paymentId : undefined };
    case 'refund':
      return wasAuthorized
        ? { kind: 'refunded', paymentId, amount: amountOf(payment) }
        : { kind: 'refunded', paymentId: undefined, amount: NOTHING };
    default:
      return assertNever(command);
  }
}

/**
 * A counter payment's answers: the authorization's stored result is its slip ("pending"), whatever
 * happened since; capture answers once the money came; undoing a slip that never took money (cancelled
 * or expired) refunds nothing.
 */
function counterAnswerFor(command: PaymentCommandKind, payment: Payment): Answer {
  const { id: paymentId, state } = payment;
  const tookMoney = state === 'completed' || state === 'refunded';
  switch (command) {
    case 'authorize':
      if (state === 'closed' || !payment.slip) return { kind: 'declined', paymentId, reason: 'DECLINED' };
      return { kind: 'pending', paymentId, amount: amountOf(payment), slip: payment.slip };
    case 'capture':
      if (state !== 'completed') throw new Error(`payment ${paymentId} is ${state}, not paid at a counter`);
      return { kind: 'captured', paymentId, amount: amountOf(payment) };
    case 'void':
      return { kind: 'voided', paymentId: state === 'voided' || tookMoney ? paymentId : undefined };
    case 'refund':
      return tookMoney
        ? { kind: 'refunded', paymentId, amount: amountOf(payment) }
        : { kind: 'refunded', paymentId: undefined, amount: NOTHING };
    default:
      return assertNever(command);
  }
}

/** The provider's decline codes in the contract's words; an unknown code is a plain decline. */
export function declineReasonOf(declineCode: string | undefined): DeclineReason {
  switch (declineCode) {
    case 'insufficient_funds':
      return 'INSUFFICIENT_FUNDS';
    case 'processing_error':
      return 'PROCESSING_ERROR';
    default:
      return 'DECLINED';
  }
}

function amountOf(payment: Payment): NonNullable<Payment['amount']> {
  if (!payment.amount) throw new Error(`payment ${payment.id} has no amount`);
  return payment.amount;
}
