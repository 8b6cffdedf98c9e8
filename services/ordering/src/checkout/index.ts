export {
  checkoutSaga,
  DEFAULT_CHECKOUT_TIMINGS,
  PAYMENT_EXPIRED,
  type CheckoutData,
  type CheckoutTimings,
  type OrderOutcomes,
} from './checkout-saga.ts';
export { createCheckout, type Checkout, type CheckoutOptions } from './create-checkout.ts';
export { rejectionReasonOf } from './rejection-reason.ts';
