/** Codes the payment service answers with. Append-only: a published code keeps its meaning and is never reused. */
export const PaymentErrorCode = {
  /** The card token is not one the card provider issued. */
  UnknownCardToken: 'PAYMENT_UNKNOWN_CARD_TOKEN',
  /** The card provider did not answer in time or failed: try again shortly. */
  ProviderUnavailable: 'PAYMENT_PROVIDER_UNAVAILABLE',
  /** The order has no payment its caller may see (none yet, or someone else's order). */
  PaymentNotFound: 'PAYMENT_NOT_FOUND',
  /** A counter-service webhook whose signature is missing or does not match its body and timestamp. */
  WebhookSignatureInvalid: 'PAYMENT_WEBHOOK_SIGNATURE_INVALID',
  /** A counter-service webhook signed more than five minutes from now: refused, it may be a recording. */
  WebhookTimestampStale: 'PAYMENT_WEBHOOK_TIMESTAMP_STALE',
  /** A counter-service webhook delivery that was accepted before: a replay. */
  WebhookReplayed: 'PAYMENT_WEBHOOK_REPLAYED',
  /** No slip has this payment code. */
  UnknownPaymentCode: 'PAYMENT_UNKNOWN_PAYMENT_CODE',
  /** The slip expired before it was paid: the counter must refuse the money. */
  SlipExpired: 'PAYMENT_SLIP_EXPIRED',
  /** The slip was cancelled (its order was cancelled or rejected): the counter must refuse the money. */
  SlipCancelled: 'PAYMENT_SLIP_CANCELLED',
  /** The amount paid is not the slip's amount. */
  AmountMismatch: 'PAYMENT_AMOUNT_MISMATCH',
} as const;
