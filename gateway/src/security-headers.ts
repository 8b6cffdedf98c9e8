export interface SecurityHeadersOptions {
  /**
   * Send Strict-Transport-Security. Only when browsers reach the gateway over HTTPS (TLS ends in front of
   * it): sent over plain HTTP it would lock a site out of its own address for a year.
   */
  hsts?: boolean;
  /** Replaces the default policy, which suits the storefront: everything from the gateway's own origin. */
  contentSecurityPolicy?: string;
}

/**
 * The storefront's scripts, styles, fonts and API calls all come from the gateway's origin; images may
 * come from anywhere over HTTPS (product photos on a CDN); nothing may frame it or be embedded as a plugin.
 */
export const DEFAULT_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The headers every answer carries, computed once. Upstream answers may override them with their own.
 *
 * @example
 * const headers = securityHeaders({ hsts: true }); // behind a TLS-terminating load balancer
 * app.addHook('onRequest', (request, reply, done) => { reply.headers(headers); done(); });
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): Readonly<Record<string, string>> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
    'content-security-policy': options.contentSecurityPolicy ?? DEFAULT_CONTENT_SECURITY_POLICY,
    'cross-origin-opener-policy': 'same-origin',
    ...(options.hsts ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}
