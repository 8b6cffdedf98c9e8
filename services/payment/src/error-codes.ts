/** Codes the payment service answers with. Append-only: a published code keeps its meaning and is never reused. */
export const PaymentErrorCode = {
  /** The card token is not one the card provider issued. */
  UnknownCardToken: 'PAYMENT_UNKNOWN_CARD_TOKEN',
  /** The card provider did not answer in time or failed: try again shortly. */
  ProviderUnavailable: 'PAYMENT_PROVIDER_UNAVAILABLE',
} as const;
