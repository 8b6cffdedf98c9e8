import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { callerKey, decideAccess, isOpenToAll, type TokenVerifier } from './access.ts';
import { answerFromCache } from './cached-route.ts';
import { exchange, type UpstreamRequest } from './exchange.ts';
import { relayHeaders, upstreamHeaders } from './forward-headers.ts';
import type { GatewayMetrics } from './metrics.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { refuseAccess, refuseBody, refuseRate, upstreamFailed } from './refusals.ts';
import { bodyStream, declaresTooMuch, hasBody, limitedBody, readBody } from './request-body.ts';
import type { ResponseCache } from './response-cache.ts';
import { createRouteMeters } from './route-meters.ts';
import type { GatewayRoute } from './route-table.ts';
import type { Upstream } from './upstream.ts';
import { classifyUpstreamError, UpstreamError, BodyTooLargeError } from './upstream-failure.ts';

/** What every route handler shares. */
export interface ProxyContext {
  readonly upstreams: ReadonlyMap<string, Upstream>;
  readonly verifier: TokenVerifier | undefined;
  readonly rateLimiter: RateLimiter;
  readonly cache: ResponseCache;
  readonly metrics: GatewayMetrics;
  readonly bodyLimitBytes: number;
  /** Monotonic milliseconds, for deadlines and the breakers' windows. */
  readonly now: () => number;
}

export type RouteHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * The handler of one route, in the order a request meets the gateway's rules: body size, access, rate
 * limit, then the cache (GETs on cached routes) or the upstream (with deadline, breaker, balancing and
 * retries inside `exchange`). Answers stream back untouched.
 */
export function createRouteHandler(route: GatewayRoute, context: ProxyContext): RouteHandler {
  const upstream = context.upstreams.get(route.upstream);
  if (!upstream) throw new Error(`route ${route.prefix} names upstream ${route.upstream}, which is not configured`);
  const meters = createRouteMeters(context.metrics, route);
  const bodyLimit = route.bodyLimitBytes ?? context.bodyLimitBytes;
  const { rateLimit, cache: cachePolicy } = route;
  // Answers on a route open to all are the same for everyone; elsewhere each caller has their own.
  const sharedAnswers = isOpenToAll(route.access);

  const outgoing = async (request: FastifyRequest, path: string, deadlineAt: number): Promise<UpstreamRequest> => {
    const withBody = hasBody(request);
    const keyed = request.headers['idempotency-key'] !== undefined;
    let body: UpstreamRequest['body'] = null;
    // A body with an Idempotency-Key is read first, so a retry can send it again; others stream through.
    if (withBody) {
      body = keyed
        ? await readBody(bodyStream(request), bodyLimit)
        : Readable.from(limitedBody(bodyStream(request), bodyLimit), { objectMode: false });
    }
    return {
      method: request.method,
      path,
      headers: upstreamHeaders(request, false),
      body,
      deadlineAt,
      bodyTimeoutMs: route.deadlineMs,
      retryable: keyed || (!withBody && IDEMPOTENT.has(request.method)),
    };
  };

  const answer = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    if (declaresTooMuch(request, bodyLimit)) return refuseBody(reply, bodyLimit);
    const decision = await decideAccess(route.access, request.headers.authorization, context.verifier);
    if (!decision.allowed) return refuseAccess(reply, decision);
    const caller = decision.caller ? callerKey(decision.caller) : undefined;
    // The chassis writes the access-log line with this logger: it names the caller, never the token.
    if (caller) request.log = request.log.child({ caller });
    if (rateLimit) {
      const verdict = await context.rateLimiter.take(`${rateLimit.name}|${caller ?? `ip:${request.ip}`}`, rateLimit);
      if (!verdict.allowed) {
        meters.rateLimited();
        return refuseRate(reply, verdict.retryAfterMs);
      }
    }
    const path = upstreamPathOf(request.url, route);
    const deadlineAt = context.now() + route.deadlineMs;
    try {
      const key =
        cachePolicy && request.method === 'GET'
          ? await context.cache.keyOf(request.url, sharedAnswers ? undefined : (caller ?? ''))
          : undefined;
      if (cachePolicy && key !== undefined) {
        return await answerFromCache(request, reply, {
          key,
          shared: sharedAnswers,
          path,
          deadlineAt,
          policy: cachePolicy,
          route,
          upstream,
          cache: context.cache,
          meters,
          now: context.now,
          forward: () => outgoing(request, path, deadlineAt),
        });
      }
      const response = await exchange(
        upstream,
        await outgoing(request, path, deadlineAt),
        meters.attempts,
        context.now,
      );
      reply.code(response.statusCode);
      relayHeaders(reply, response.headers);
      return await reply.send(response.body);
    } catch (error) {
      if (!(error instanceof UpstreamError || error instanceof BodyTooLargeError)) throw error;
      const failure = classifyUpstreamError(error);
      if (failure === 'body-too-large') return refuseBody(reply, bodyLimit);
      if (failure !== 'circuit-open')
        request.log.warn({ upstream: upstream.name, failure, err: error.cause }, 'upstream request failed');
      return upstreamFailed(reply, failure, upstream.name, error instanceof UpstreamError ? error.retryAfterMs : 0);
    }
  };

  return async (request, reply) => {
    const sent = await answer(request, reply);
    meters.answered(reply.statusCode);
    return sent;
  };
}

/** `/api/catalog/products?q=x` → `/products?q=x`; `upstreamPrefix` takes the public prefix's place. */
export function upstreamPathOf(url: string, route: Pick<GatewayRoute, 'prefix' | 'upstreamPrefix'>): string {
  let rest = url.slice(route.prefix.length);
  if (rest === '' || rest.startsWith('?')) rest = `/${rest}`;
  if (!route.upstreamPrefix) return rest;
  return rest === '/' || rest.startsWith('/?') ? route.upstreamPrefix + rest.slice(1) : route.upstreamPrefix + rest;
}
