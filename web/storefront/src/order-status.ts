import type { OrderView } from '@talad/contracts-ordering';

type Reason = NonNullable<OrderView['rejectionReason']>;

/** Why an order was turned down, said the way a person needs to hear it. */
export const REJECTION_MESSAGES: Record<Reason, string> = {
  PAYMENT_DECLINED: 'Your card was declined by the bank. Nothing was charged. Please try another card.',
  INSUFFICIENT_FUNDS: 'The card does not have enough funds for this order. Nothing was charged.',
  INVALID_CARD_TOKEN: 'The card details could not be used. Nothing was charged. Please enter the card again.',
  PAYMENT_PROCESSING_ERROR: 'The card processor could not complete the payment. Nothing was charged. Please try again.',
  OUT_OF_STOCK: 'Sorry, an item sold out while you were checking out. Nothing was charged.',
  UNKNOWN_PRODUCT: 'An item in this order is no longer sold. Nothing was charged.',
  CUSTOMER_NOT_FOUND: 'We could not confirm your account. Nothing was charged. Please sign in again.',
  CUSTOMER_DISABLED: 'This account cannot place orders. Nothing was charged. Please contact us.',
  RESERVATION_EXPIRED: 'Your items were held for too long and went back on the shelf. Nothing was charged.',
  STEP_TIMED_OUT: 'Confirming the order took too long, so it was stopped. Nothing was charged. Please try again.',
  PAYMENT_EXPIRED: 'The pay slip expired before it was paid, so the order was called off. Nothing was charged.',
};

const STEP_NAMES: Record<string, string> = {
  'verify-customer': 'Checking your account',
  'reserve-stock': 'Reserving your items',
  'authorize-payment': 'Authorizing the payment',
  'commit-reservation': 'Setting your items aside',
  'capture-payment': 'Taking the payment',
  approve: 'Confirming the order',
};

/** "reserve-stock" or "ReserveStock" → "Reserving your items"; unknown names are made readable. */
export function stepLabel(name: string): string {
  const kebab = name
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .replace(/[_\s]+/g, '-')
    .toLowerCase();
  return STEP_NAMES[kebab] ?? kebab.replace(/-/g, ' ').replace(/^./, (first) => first.toUpperCase());
}

export const STATUS_TITLES: Record<OrderView['status'], string> = {
  pending: 'We are confirming your order…',
  approved: 'Thank you! Your order is confirmed.',
  rejected: 'Your order could not be placed',
  cancelled: 'This order was cancelled',
};
