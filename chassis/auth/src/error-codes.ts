/**
 * Codes the authentication chassis answers with. Append-only: a published code keeps its meaning and is
 * never reused.
 */
export const AuthErrorCode = {
  /** No bearer token on a route that needs one. */
  TokenMissing: 'AUTH_TOKEN_MISSING',
  /** The token is malformed, forged, expired, or meant for another issuer or audience. */
  TokenInvalid: 'AUTH_TOKEN_INVALID',
  /** The caller is known but this route is not for them (role or scope missing). */
  Forbidden: 'AUTH_FORBIDDEN',
  /** The route declares no access rule, so it is closed to everyone: a bug in the service. */
  AccessUndeclared: 'AUTH_ACCESS_UNDECLARED',
  /** The signing keys could not be fetched, so no token can be checked just now. */
  KeysUnavailable: 'AUTH_KEYS_UNAVAILABLE',
} as const;

export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];
