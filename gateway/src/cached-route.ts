import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  etagMatches,
  etagOf,
  isShareableDespiteAuthorization,
  isStorable,
  sameVariant,
  varyOf,
} from './cache-policy.ts';
import type { CachedResponse } from './cache-store.ts';
import { exchange, type UpstreamRequest } from './exchange.ts';
import { relayHeaders, storedHeaders, upstreamHeaders } from './forward-headers.ts';
import type { ResponseCache } from './response-cache.ts';
import type { RouteMeters } from './route-meters.ts';
import type { CachePolicy, GatewayRoute } from './route-table.ts';
import type { Upstream } from './upstream.ts';

/** Answers bigger than this are relayed, not cached (nor shared with coalesced requests). */
const MAX_ENTRY_BYTES = 1024 * 1024;

export interface CachedRouteOptions {
  key: string;
  /** The entry is everyone's (a route open to all), not one caller's. */
  shared: boolean;
  path: string;
  deadlineAt: number;
  policy: CachePolicy;
  route: GatewayRoute;
  upstream: Upstream;
  cache: ResponseCache;
  meters: RouteMeters;
  now: () => number;
  /** The request as it would go upstream uncached, for a coalesced caller whose answer could not be shared. */
  forward: () => Promise<UpstreamRequest>;
}

type Fetched =
  | { kind: 'entry'; entry: CachedResponse; outcome: 'miss' | 'revalidated' }
  | { kind: 'too-large'; statusCode: number; headers: IncomingHttpHeaders; body: Readable };

/**
 * A GET on a cached route: a fresh entry is served at once (`x-cache: hit`, or 304 when the caller
 * already holds it); otherwise one upstream call, shared by every concurrent request for the same key,
 * fetches it (`miss`), or confirms a stale entry with If-None-Match (`revalidated`).
 */
export async function answerFromCache(
  request: FastifyRequest,
  reply: FastifyReply,
  options: CachedRouteOptions,
): Promise<FastifyReply> {
  const { cache, key, meters } = options;
  const held = await cache.read(key);
  const entry = held && sameVariant(held.vary, request.headers) ? held : undefined;
  if (entry && entry.freshUntil > Date.now()) {
    meters.cache('hit');
    return sendEntry(request, reply, entry, 'hit');
  }
  const stale = entry?.upstreamEtag ? entry : undefined;
  // A signed-in caller on a route open to all: the shared entry serves them, but what they fetch may be
  // their own answer, so it is neither shared with concurrent callers nor stored unless marked public.
  if (options.shared && request.headers.authorization !== undefined) {
    const own = await fetchEntry(request, options, stale, true);
    if (own.kind === 'entry') {
      meters.cache(own.outcome);
      return sendEntry(request, reply, own.entry, own.outcome);
    }
    reply.code(own.statusCode);
    relayHeaders(reply, own.headers);
    return reply.send(own.body);
  }
  const { result, leader } = cache.coalesce(key, () => fetchEntry(request, options, stale, false));
  const fetched = await result;
  if (fetched.kind === 'entry' && (leader || sameVariant(fetched.entry.vary, request.headers))) {
    meters.cache(fetched.outcome);
    return sendEntry(request, reply, fetched.entry, fetched.outcome);
  }
  if (leader && fetched.kind === 'too-large') {
    reply.code(fetched.statusCode);
    relayHeaders(reply, fetched.headers);
    return reply.send(fetched.body);
  }
  // Joined another request's fetch, but its answer could not be shared: fetch this one alone.
  const response = await exchange(options.upstream, await options.forward(), meters.attempts, options.now);
  reply.code(response.statusCode);
  relayHeaders(reply, response.headers);
  return reply.send(response.body);
}

async function fetchEntry(
  request: FastifyRequest,
  options: CachedRouteOptions,
  stale: CachedResponse | undefined,
  authorized: boolean,
): Promise<Fetched> {
  const { cache, key, policy } = options;
  // Read before fetching: an invalidation while the answer is on its way means it may be outdated.
  const generation = cache.generation;
  const ttlMs = policy.ttlSeconds * 1000;
  const keepMs = ttlMs + Math.max(60_000, ttlMs);
  const headers = upstreamHeaders(request, true);
  if (stale) headers['if-none-match'] = stale.etag;
  const response = await exchange(
    options.upstream,
    {
      method: 'GET',
      path: options.path,
      headers,
      body: null,
      deadlineAt: options.deadlineAt,
      bodyTimeoutMs: options.route.deadlineMs,
      retryable: true,
    },
    options.meters.attempts,
    options.now,
  );
  const now = Date.now();
  if (response.statusCode === 304 && stale) {
    if (!Buffer.isBuffer(response.body)) response.body.destroy();
    const renewed: CachedResponse = { ...stale, storedAt: now, freshUntil: now + ttlMs };
    cache.write(key, renewed, keepMs, generation);
    return { kind: 'entry', entry: renewed, outcome: 'revalidated' };
  }
  const read = Buffer.isBuffer(response.body)
    ? { bytes: response.body }
    : await readUpTo(response.body, MAX_ENTRY_BYTES);
  if (read.rest) {
    return { kind: 'too-large', statusCode: response.statusCode, headers: response.headers, body: read.rest };
  }
  const storable =
    isStorable(response.statusCode, response.headers) &&
    (!authorized || isShareableDespiteAuthorization(response.headers));
  const upstreamEtag = typeof response.headers.etag === 'string' ? response.headers.etag : undefined;
  const entry: CachedResponse = {
    status: response.statusCode,
    headers: storedHeaders(response.headers),
    body: read.bytes,
    etag: upstreamEtag ?? (storable ? etagOf(read.bytes) : ''),
    upstreamEtag: upstreamEtag !== undefined,
    storedAt: now,
    freshUntil: now + ttlMs,
    vary: (varyOf(response.headers) ?? []).map((name) => [name, String(request.headers[name] ?? '')] as const),
  };
  if (storable) cache.write(key, entry, keepMs, generation);
  return { kind: 'entry', entry, outcome: 'miss' };
}

function sendEntry(
  request: FastifyRequest,
  reply: FastifyReply,
  entry: CachedResponse,
  outcome: 'hit' | 'miss' | 'revalidated',
): FastifyReply {
  reply.code(entry.status);
  reply.headers(entry.headers);
  reply.header('x-cache', outcome);
  if (outcome === 'hit') reply.header('age', String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000))));
  if (entry.etag) reply.header('etag', entry.etag);
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch && entry.etag && entry.status === 200 && etagMatches(ifNoneMatch, entry.etag)) {
    reply.code(304);
    reply.removeHeader('content-length');
    return reply.send();
  }
  return reply.send(entry.body);
}

/**
 * Reads a body into memory up to `limit`; past it, hands back a stream that replays what was read and
 * continues with the rest, so nothing is lost and nothing unbounded is held.
 */
async function readUpTo(
  body: Readable,
  limit: number,
): Promise<{ bytes: Buffer; rest?: undefined } | { bytes?: undefined; rest: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (next.done) return { bytes: Buffer.concat(chunks, size) };
    chunks.push(next.value);
    size += next.value.length;
    if (size > limit) {
      const replay = async function* (): AsyncIterable<Buffer> {
        yield* chunks;
        for (let more = await iterator.next(); !more.done; more = await iterator.next()) yield more.value;
      };
      return { rest: Readable.from(replay()) };
    }
  }
}
