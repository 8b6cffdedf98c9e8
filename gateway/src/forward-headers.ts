import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { injectTraceHeaders } from '@talad/service';

/** Headers that describe one hop, not the message; RFC 9110 §7.6.1 says a proxy must not forward them. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

// Decided once, not per request: request headers replaced on the way up (host, trace context, forwarding)…
const NOT_FORWARDED_UP = new Set([...HOP_BY_HOP, 'host', 'traceparent', 'tracestate', 'x-forwarded-for']);
// …conditional ones too when the gateway caches, since it answers those itself and wants the full body…
const NOT_FORWARDED_WHEN_CACHING = new Set([...NOT_FORWARDED_UP, 'if-none-match', 'if-modified-since']);
// …and response headers the gateway sets itself on the way down.
const NOT_RELAYED_DOWN = new Set([...HOP_BY_HOP, 'x-request-id', 'traceparent']);
const NOT_STORED = new Set([...NOT_RELAYED_DOWN, 'date', 'age', 'set-cookie', 'etag', 'x-cache']);

/**
 * The headers a request goes upstream with: the caller's (Authorization included: services check it
 * too), minus hop-by-hop ones, plus the request id, X-Forwarded-* and the gateway span's trace context.
 */
export function upstreamHeaders(request: FastifyRequest, forCache: boolean): Record<string, string> {
  const skip = forCache ? NOT_FORWARDED_WHEN_CACHING : NOT_FORWARDED_UP;
  const incoming: IncomingHttpHeaders = request.headers;
  const headers: Record<string, string> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || skip.has(name)) continue;
    headers[name] = typeof value === 'string' ? value : value.join(', ');
  }
  headers['x-request-id'] = request.id;
  const forwardedFor = incoming['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${String(forwardedFor)}, ${request.ip}` : request.ip;
  headers['x-forwarded-proto'] = request.protocol;
  if (incoming.host) headers['x-forwarded-host'] = incoming.host;
  // The gateway's own span is the parent of the upstream's, so one trace spans both.
  return injectTraceHeaders(headers);
}

/** Copies an upstream answer's headers onto the reply, leaving out hop-by-hop ones. */
export function relayHeaders(reply: FastifyReply, headers: IncomingHttpHeaders): void {
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !NOT_RELAYED_DOWN.has(name)) reply.header(name, value);
  }
}

/** The headers worth keeping with a cached answer. */
export function storedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !NOT_STORED.has(name)) kept[name] = value;
  }
  return kept;
}
