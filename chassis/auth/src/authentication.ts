import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyTypeProvider,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { DomainError } from '@talad/core';
import { decideAccess, isAccess, scopesOf, type Access } from './access.ts';
import { bearerToken } from './bearer-token.ts';
import type { Caller } from './caller.ts';
import { AuthErrorCode } from './error-codes.ts';
import type { TokenVerifier } from './token-verifier.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route; see `Access`. Every route registered after `registerAuthentication` must say. */
    access?: Access;
  }
  interface FastifyRequest {
    /** Set from a valid bearer token; undefined on a public route called without one. */
    caller: Caller | undefined;
  }
}

/** Any Fastify instance, whatever its type provider (the service chassis uses zod's). */
export type AnyFastifyInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  FastifyTypeProvider
>;

export interface AuthenticationOptions {
  verifier: TokenVerifier;
  /**
   * Routes registered before `registerAuthentication` that answer anyone: the service chassis's health,
   * metrics and OpenAPI routes. Any other route without a declaration is closed (403).
   */
  publicRoutes?: readonly string[];
  /** Shown in the `WWW-Authenticate` challenge. */
  realm?: string;
}

export const DEFAULT_PUBLIC_ROUTES = ['/health/live', '/health/ready', '/metrics', '/openapi.json'] as const;

/**
 * Authenticates every request with its bearer token and enforces each route's declared `access`.
 * It decorates the app itself (not an encapsulated child), so it covers every route registered after
 * it, in any plugin. A route registered without `config.access` fails at registration: forgetting to
 * declare who may call a route is caught when the service starts, not by an attacker.
 *
 * Answers: no or bad token on a protected route, 401 with `WWW-Authenticate: Bearer`; a caller without
 * the role or scope, 403. Both are problem+json through the service's error handler.
 *
 * @example
 * const app = await createServiceApp({ name: 'basket' });
 * registerAuthentication(app, { verifier: createTokenVerifier({ jwksUrl, issuer, audience: 'talad' }) });
 * app.get('/basket', { config: { access: 'customer' } }, async (request) => baskets.of(requireUser(request).userId));
 * app.put('/products/:id', { config: { access: ['admin', { scope: 'catalog:write' }] } }, updateProduct);
 */
export function registerAuthentication(app: AnyFastifyInstance, options: AuthenticationOptions): void {
  const publicRoutes = new Set<string>(options.publicRoutes ?? DEFAULT_PUBLIC_ROUTES);
  const challenge = options.realm ? `Bearer realm="${options.realm}"` : 'Bearer';

  app.decorateRequest('caller', undefined);

  app.addHook('onRoute', (route) => {
    if (!isAccess(route.config?.access)) {
      const method = Array.isArray(route.method) ? route.method.join(',') : String(route.method);
      throw new Error(
        `route ${method} ${route.url} declares no access: add config: { access: 'public' | 'customer' | 'admin' | { scope } }`,
      );
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    // No route matched: the not-found handler answers, and must not reveal what would need a token.
    if (route === undefined) return;
    const access = request.routeOptions.config.access ?? (publicRoutes.has(route) ? 'public' : undefined);
    if (access === undefined) {
      request.log.error({ route }, 'route declares no access; refusing every caller');
      throw new DomainError('forbidden', AuthErrorCode.AccessUndeclared, 'this route is closed');
    }
    const token = bearerToken(request.headers.authorization);
    if (decideAccess(access, undefined) === 'allowed') {
      // A public route still learns who calls when it can, but never fails because of the token.
      if (token) request.caller = await options.verifier.verify(token).catch(() => undefined);
      return;
    }
    if (!token) {
      reply.header('www-authenticate', challenge);
      throw new DomainError('unauthenticated', AuthErrorCode.TokenMissing, 'sign in first: no bearer token was sent');
    }
    request.caller = await verifyOrChallenge(options.verifier, token, reply, challenge);
    if (decideAccess(access, request.caller) === 'forbidden') {
      const scopes = scopesOf(access);
      if (scopes.length > 0) {
        reply.header('www-authenticate', `${challenge}, error="insufficient_scope", scope="${scopes.join(' ')}"`);
      }
      throw new DomainError('forbidden', AuthErrorCode.Forbidden, 'you are signed in but may not do this');
    }
  });
}

async function verifyOrChallenge(
  verifier: TokenVerifier,
  token: string,
  reply: FastifyReply,
  challenge: string,
): Promise<Caller> {
  try {
    return await verifier.verify(token);
  } catch (error) {
    // RFC 6750 §3.1: a token that was sent but is no good says so in the challenge.
    if (error instanceof DomainError && error.kind === 'unauthenticated') {
      reply.header('www-authenticate', `${challenge}, error="invalid_token"`);
    }
    throw error;
  }
}
