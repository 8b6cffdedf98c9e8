/** Codes the simulated counter service answers with. Append-only: a published code keeps its meaning. */
export const CounterServiceErrorCode = {
  /** The biller (Talad's payment service) refused the payment: the counter hands the money back. */
  PaymentRefused: 'COUNTER_SERVICE_PAYMENT_REFUSED',
  /** The biller did not answer, or failed: nothing was taken; try again. */
  BillerUnavailable: 'COUNTER_SERVICE_BILLER_UNAVAILABLE',
  /** No payment with this id was taken here. */
  UnknownPayment: 'COUNTER_SERVICE_UNKNOWN_PAYMENT',
} as const;
