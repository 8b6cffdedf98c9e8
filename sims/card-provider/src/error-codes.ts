/** Codes the simulated processor answers with. Append-only: a published code keeps its meaning. */
export const CardProviderErrorCode = {
  /** Not 12 to 19 digits, or the Luhn check fails. */
  InvalidCardNumber: 'CARD_PROVIDER_INVALID_CARD_NUMBER',
  /** The expiry month is not 1..12 or the year is not a real year. */
  InvalidExpiry: 'CARD_PROVIDER_INVALID_EXPIRY',
  /** The card's expiry month has passed. */
  ExpiredCard: 'CARD_PROVIDER_EXPIRED_CARD',
  /** The security code does not have the brand's number of digits. */
  InvalidCvc: 'CARD_PROVIDER_INVALID_CVC',
  /** No card was tokenized under this token. */
  UnknownToken: 'CARD_PROVIDER_UNKNOWN_TOKEN',
  UnknownAuthorization: 'CARD_PROVIDER_UNKNOWN_AUTHORIZATION',
  /** The authorization's status does not allow this action (a void after capture, a refund before it). */
  InvalidState: 'CARD_PROVIDER_INVALID_STATE',
  /** An unsafe call without the `Idempotency-Key` header. */
  IdempotencyKeyMissing: 'CARD_PROVIDER_IDEMPOTENCY_KEY_MISSING',
  /** The key was used before for a different request. */
  IdempotencyKeyReused: 'CARD_PROVIDER_IDEMPOTENCY_KEY_REUSED',
  /** The first request with this key is still running: retry later to get its answer. */
  IdempotencyKeyInUse: 'CARD_PROVIDER_IDEMPOTENCY_KEY_IN_USE',
  /** An injected fault: the call did nothing; retry. */
  Unavailable: 'CARD_PROVIDER_UNAVAILABLE',
} as const;
