import { problem, sendProblem, type ServiceApp } from '@talad/service';
import { corsPolicy, type CorsOptions } from './cors.ts';
import { GatewayErrorCode } from './error-codes.ts';
import { securityHeaders, type SecurityHeadersOptions } from './security-headers.ts';

/**
 * What every answer gets before any route runs: the security headers, CORS headers for allowed origins,
 * and preflights answered here, so they never reach a service.
 */
export function registerEdgeHooks(
  app: ServiceApp,
  options: { cors: CorsOptions; security: SecurityHeadersOptions },
): void {
  const headers = securityHeaders(options.security);
  const cors = corsPolicy(options.cors);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    const origin = request.headers.origin;
    if (origin === undefined) return done();
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (!preflight) {
      const allowed = cors.forRequest(origin);
      if (allowed) reply.headers(allowed);
      return done();
    }
    const answer = cors.forPreflight(origin, request.headers['access-control-request-headers']);
    // Answering without calling done() ends the request here.
    if (answer) return void reply.code(204).headers(answer).send();
    void sendProblem(
      reply,
      problem(403, GatewayErrorCode.CorsOriginNotAllowed, `cross-origin requests from ${origin} are not allowed`),
    );
  });
}
