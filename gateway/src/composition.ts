import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem, type ServiceApp } from '@talad/service';
import { callerKey, decideAccess, type TokenVerifier } from './access.ts';
import { GatewayErrorCode } from './error-codes.ts';
import { exchange } from './exchange.ts';
import { relayHeaders, upstreamHeaders } from './forward-headers.ts';
import type { GatewayMetrics } from './metrics.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { refuseAccess, refuseRate } from './refusals.ts';
import { createRouteMeters, type RouteMeters } from './route-meters.ts';
import type { Composition, CompositionPart } from './route-table.ts';
import type { Upstream } from './upstream.ts';
import { UpstreamError } from './upstream-failure.ts';

/** What the gateway composes with. */
export interface CompositionContext {
  readonly upstreams: ReadonlyMap<string, Upstream>;
  readonly verifier: TokenVerifier | undefined;
  readonly rateLimiter: RateLimiter;
  readonly metrics: GatewayMetrics;
  readonly now: () => number;
}

/** A part that failed, timed out or whose service is down: the rest of the answer still comes. */
export const UNAVAILABLE = { unavailable: true } as const;

type PartResult =
  | { kind: 'body'; body: unknown }
  | { kind: 'absent' }
  | { kind: 'unavailable' }
  | { kind: 'refused'; statusCode: number; headers: Record<string, unknown>; body: Buffer };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * API composition: one public GET answered from several services, called in parallel under one
 * deadline with the caller's token (each service checks ownership itself), merged into one object with
 * a key per part. A part whose service fails, is down or misses the deadline is `{ "unavailable": true }`
 * and the answer is still 200; a part that does not exist yet (404) is `null`. The primary part decides
 * whether the whole exists: its 404 (or 403) is the answer.
 *
 * @example
 * // GET /api/orders/:id/details → { order: {...}, payment: { unavailable: true }, shipment: null }
 * registerCompositions(app, compositionTable, context);
 */
export function registerCompositions(
  app: ServiceApp,
  compositions: readonly Composition[],
  context: CompositionContext,
): void {
  for (const composition of compositions) {
    const parts = composition.parts.map((part) => {
      const upstream = context.upstreams.get(part.upstream);
      if (!upstream) throw new Error(`composition ${composition.path} names ${part.upstream}, which is not configured`);
      const meters = createRouteMeters(context.metrics, {
        ...composition,
        prefix: composition.path,
        upstream: part.upstream,
      });
      return { part, upstream, meters };
    });
    app.get(composition.path, { schema: { hide: true } }, async (request, reply) =>
      compose(request, reply, composition, parts, context),
    );
  }
}

async function compose(
  request: FastifyRequest,
  reply: FastifyReply,
  composition: Composition,
  parts: readonly { part: CompositionPart; upstream: Upstream; meters: RouteMeters }[],
  context: CompositionContext,
): Promise<FastifyReply> {
  const decision = await decideAccess(composition.access, request.headers.authorization, context.verifier);
  if (!decision.allowed) return refuseAccess(reply, decision);
  const caller = decision.caller ? callerKey(decision.caller) : undefined;
  if (caller) request.log = request.log.child({ caller });
  if (composition.rateLimit) {
    const limit = composition.rateLimit;
    const verdict = await context.rateLimiter.take(`${limit.name}|${caller ?? `ip:${request.ip}`}`, limit);
    if (!verdict.allowed) return refuseRate(reply, verdict.retryAfterMs);
  }
  const { id } = request.params as { id: string };
  if (!UUID.test(id)) {
    return sendProblem(
      reply,
      problem(400, GatewayErrorCode.InvalidParameter, 'id must be a UUID', { parameter: 'id' }),
    );
  }

  const deadlineAt = context.now() + composition.deadlineMs;
  const headers = upstreamHeaders(request, false);
  const results = await Promise.all(
    parts.map(async ({ part, upstream, meters }) => ({
      part,
      result: await callPart(part, upstream, meters, id, headers, deadlineAt, context, request),
    })),
  );

  const merged: Record<string, unknown> = {};
  for (const { part, result } of results) {
    if (result.kind === 'refused') {
      // The primary part says the whole does not exist, or is not the caller's: that is the answer.
      reply.code(result.statusCode);
      relayHeaders(reply, result.headers as Parameters<typeof relayHeaders>[1]);
      return reply.send(result.body);
    }
    merged[part.name] = result.kind === 'body' ? result.body : result.kind === 'absent' ? null : UNAVAILABLE;
  }
  return reply.code(200).header('cache-control', 'no-store').send(merged);
}

async function callPart(
  part: CompositionPart,
  upstream: Upstream,
  meters: RouteMeters,
  id: string,
  headers: Record<string, string>,
  deadlineAt: number,
  context: CompositionContext,
  request: FastifyRequest,
): Promise<PartResult> {
  const path = part.path.replace(':id', encodeURIComponent(id));
  try {
    const answer = await exchange(
      upstream,
      {
        method: 'GET',
        path,
        headers,
        body: null,
        deadlineAt,
        bodyTimeoutMs: deadlineAt - context.now(),
        retryable: true,
      },
      meters.attempts,
      context.now,
    );
    const body = Buffer.isBuffer(answer.body) ? answer.body : await readWhole(answer.body, deadlineAt, context.now);
    meters.answered(answer.statusCode);
    if (answer.statusCode >= 200 && answer.statusCode < 300)
      return { kind: 'body', body: JSON.parse(body.toString('utf8')) };
    if (part.primary && (answer.statusCode === 404 || answer.statusCode === 403)) {
      return { kind: 'refused', statusCode: answer.statusCode, headers: answer.headers, body };
    }
    if (answer.statusCode === 404) return { kind: 'absent' };
    request.log.warn({ upstream: upstream.name, status: answer.statusCode }, 'composition part answered an error');
    return { kind: 'unavailable' };
  } catch (error) {
    const failure = error instanceof UpstreamError ? error.failure : 'bad-response';
    meters.answered(failure === 'timeout' ? 504 : failure === 'bad-response' ? 502 : 503);
    if (failure !== 'circuit-open') {
      request.log.warn({ upstream: upstream.name, failure, err: error }, 'composition part unavailable');
    }
    return { kind: 'unavailable' };
  }
}

/** A streamed body, read whole within the composition's deadline (parts are small JSON documents). */
async function readWhole(
  stream: AsyncIterable<Buffer> & { destroy(error?: Error): void },
  deadlineAt: number,
  now: () => number,
): Promise<Buffer> {
  const timer = setTimeout(
    () => stream.destroy(new Error('the part did not arrive in time')),
    Math.max(0, deadlineAt - now()),
  );
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    return Buffer.concat(chunks);
  } finally {
    clearTimeout(timer);
  }
}
