import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram, injectTraceHeaders, problem, sendProblem, type ServiceApp } from '@talad/service';
import type { GatewayRoute } from './route-table.ts';
import { classifyUpstreamError, type Upstream, type UpstreamFailure } from './upstream.ts';
import { GatewayErrorCode } from './error-codes.ts';

/** Headers that describe one hop, not the message; RFC 9110 §7.6.1 says a proxy must not forward them. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

const FAILURE_ANSWER: Record<UpstreamFailure, { status: number; code: string; detail: (service: string) => string }> = {
  unreachable: {
    status: 503,
    code: GatewayErrorCode.UpstreamUnavailable,
    detail: (service) => `the ${service} service is unavailable; try again shortly`,
  },
  timeout: {
    status: 504,
    code: GatewayErrorCode.UpstreamTimeout,
    detail: (service) => `the ${service} service did not answer in time`,
  },
  'bad-response': {
    status: 502,
    code: GatewayErrorCode.UpstreamBadResponse,
    detail: (service) => `the ${service} service gave an answer that could not be relayed`,
  },
};

/**
 * Forwards every method under each route's prefix to its upstream over pooled keep-alive connections,
 * streaming bodies both ways, passing the request id and the trace context on.
 */
export function registerProxyRoutes(
  app: ServiceApp,
  routes: readonly GatewayRoute[],
  upstreams: Map<string, Upstream>,
): void {
  const upstreamRequests = new Counter({
    name: 'gateway_upstream_requests_total',
    help: 'Requests forwarded upstream, by route, upstream and outcome (status code or failure kind).',
    labelNames: ['route', 'upstream', 'outcome'],
    registers: [app.metricsRegistry],
  });
  const upstreamDuration = new Histogram({
    name: 'gateway_upstream_duration_seconds',
    help: 'Time until the upstream answered with headers.',
    labelNames: ['route', 'upstream'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [app.metricsRegistry],
  });

  app.register(async (scope) => {
    // Bodies pass through untouched as streams; the upstream validates them.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    for (const route of routes) {
      const upstream = upstreams.get(route.upstream);
      if (!upstream) throw new Error(`route ${route.prefix} names upstream ${route.upstream}, which is not configured`);
      const forward = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
        const path = request.url.slice(route.prefix.length) || '/';
        const started = performance.now();
        try {
          const response = await upstream.pool.request({
            method: request.method,
            path: path.startsWith('/') ? path : `/${path}`,
            headers: upstreamHeaders(request),
            body: hasBody(request) ? (request.body as Readable) : null,
            signal: AbortSignal.timeout(route.deadlineMs),
            headersTimeout: route.deadlineMs,
            bodyTimeout: route.deadlineMs,
          });
          upstreamDuration.observe(
            { route: route.prefix, upstream: upstream.name },
            (performance.now() - started) / 1000,
          );
          upstreamRequests.inc({ route: route.prefix, upstream: upstream.name, outcome: String(response.statusCode) });
          reply.code(response.statusCode);
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined && !HOP_BY_HOP.has(name) && name !== 'x-request-id') reply.header(name, value);
          }
          return await reply.send(response.body);
        } catch (error) {
          const failure = classifyUpstreamError(error);
          upstreamRequests.inc({ route: route.prefix, upstream: upstream.name, outcome: failure });
          request.log.warn({ upstream: upstream.name, failure, err: error }, 'upstream request failed');
          const answer = FAILURE_ANSWER[failure];
          return sendProblem(
            reply,
            problem(answer.status, answer.code, answer.detail(upstream.name), { service: upstream.name }),
          );
        }
      };
      scope.all(route.prefix, { schema: { hide: true } }, forward);
      scope.all(`${route.prefix}/*`, { schema: { hide: true } }, forward);
    }
  });
}

function hasBody(request: FastifyRequest): boolean {
  return request.body !== undefined && request.body !== null && request.method !== 'GET' && request.method !== 'HEAD';
}

function upstreamHeaders(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  const incoming: IncomingHttpHeaders = request.headers;
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name === 'traceparent' || name === 'tracestate') continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  headers['x-request-id'] = request.id;
  headers['x-forwarded-for'] = [incoming['x-forwarded-for'], request.ip].filter(Boolean).join(', ');
  headers['x-forwarded-proto'] = request.protocol;
  if (incoming.host) headers['x-forwarded-host'] = incoming.host;
  // The gateway's own span is the parent of the upstream's, so one trace spans both.
  return injectTraceHeaders(headers);
}
