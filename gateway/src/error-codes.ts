/** Codes the gateway answers with on its own behalf. Append-only; never reused. */
export const GatewayErrorCode = {
  /** The upstream refused the connection or is not running. */
  UpstreamUnavailable: 'GATEWAY_UPSTREAM_UNAVAILABLE',
  /** The upstream did not answer within the route's deadline. */
  UpstreamTimeout: 'GATEWAY_UPSTREAM_TIMEOUT',
  /** The upstream's answer broke off or could not be relayed. */
  UpstreamBadResponse: 'GATEWAY_UPSTREAM_BAD_RESPONSE',
} as const;
