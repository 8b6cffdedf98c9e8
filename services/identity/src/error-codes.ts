/** Codes the identity service answers with. Append-only: a published code keeps its meaning and is never reused. */
export const IdentityErrorCode = {
  /** Sign-up with an email that already has an account (compared without regard to case). */
  EmailTaken: 'IDENTITY_EMAIL_TAKEN',
  /** Sign-up with a password that breaks the policy; `reasons` lists what to change. */
  WeakPassword: 'IDENTITY_WEAK_PASSWORD',
  /** Sign-in with an unknown email or a wrong password: deliberately the same answer for both. */
  InvalidCredentials: 'IDENTITY_INVALID_CREDENTIALS',
  /** Too many failed sign-ins for this account or from this address; `Retry-After` says when to try again. */
  TooManySignInAttempts: 'IDENTITY_TOO_MANY_SIGN_IN_ATTEMPTS',
  /** The password was right but an admin has disabled the account. */
  AccountDisabled: 'IDENTITY_ACCOUNT_DISABLED',
  /** The signed-in account no longer exists. */
  AccountNotFound: 'IDENTITY_ACCOUNT_NOT_FOUND',
  /** No address with this id among the caller's own (another customer's address is never revealed). */
  AddressNotFound: 'IDENTITY_ADDRESS_NOT_FOUND',
  /** The customer already keeps the maximum number of addresses. */
  AddressLimitReached: 'IDENTITY_ADDRESS_LIMIT_REACHED',
  /** An admin named a customer id that does not exist. */
  CustomerNotFound: 'IDENTITY_CUSTOMER_NOT_FOUND',
} as const;
