/** Codes the gateway answers with on its own behalf. Append-only; never reused. */
export const GatewayErrorCode = {
  /** The upstream refused the connection or is not running. */
  UpstreamUnavailable: 'GATEWAY_UPSTREAM_UNAVAILABLE',
  /** The upstream did not answer within the route's deadline. */
  UpstreamTimeout: 'GATEWAY_UPSTREAM_TIMEOUT',
  /** The upstream's answer broke off or could not be relayed. */
  UpstreamBadResponse: 'GATEWAY_UPSTREAM_BAD_RESPONSE',
  /** The upstream failed repeatedly; its circuit breaker is open and the gateway answers without calling it. */
  CircuitOpen: 'GATEWAY_CIRCUIT_OPEN',
  /** The route needs a signed-in caller and the request has no valid bearer token. */
  Unauthenticated: 'GATEWAY_UNAUTHENTICATED',
  /** The caller is known but may not use this route (wrong role or missing scope). */
  Forbidden: 'GATEWAY_FORBIDDEN',
  /** The caller's (or, when anonymous, the client address's) request budget for the route is spent. */
  RateLimited: 'GATEWAY_RATE_LIMITED',
  /** The request body is over the route's limit. */
  BodyTooLarge: 'GATEWAY_BODY_TOO_LARGE',
  /** A cross-origin preflight from an origin that is not allowed. */
  CorsOriginNotAllowed: 'GATEWAY_CORS_ORIGIN_NOT_ALLOWED',
  /** The issuer's signing keys cannot be fetched, so no token can be checked; not the caller's fault. */
  AuthUnavailable: 'GATEWAY_AUTH_UNAVAILABLE',
  /** A path parameter of a route the gateway answers itself (a composition) is malformed. */
  InvalidParameter: 'GATEWAY_INVALID_PARAMETER',
} as const;
