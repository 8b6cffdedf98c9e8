import swagger from '@fastify/swagger';
import { context, propagation, trace, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { newId } from '@talad/core';
import { registerHealth, type HealthState, type ReadinessCheck } from './health.ts';
import { createLogger, withTraceIds, type Logger } from './logger.ts';
import { registerMetrics, Registry } from './metrics.ts';
import { handleError, handleNotFound } from './problem.ts';
import { getTracer } from './tracing.ts';

/** A Fastify instance whose routes are typed and validated by zod schemas. */
export type ServiceApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface ServiceAppOptions {
  /** Service name: in logs, metrics, traces and the OpenAPI document. */
  name: string;
  version?: string;
  description?: string;
  /** Defaults to a JSON logger on stdout; tests pass `createLogger({ level: 'silent' })`. */
  logger?: Logger;
  /** Dependencies that must answer for `/health/ready` to say ready, by name. */
  readiness?: Record<string, ReadinessCheck>;
  /** Largest accepted request body; bigger ones get 413. */
  bodyLimitBytes?: number;
  /** Keep-alive sockets idle longer than this are closed; keep it above any proxy's idle timeout. */
  keepAliveTimeoutMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Shared by the health routes and the shutdown sequence. */
    health: HealthState;
    metricsRegistry: Registry;
  }
  interface FastifyRequest {
    span: Span | undefined;
  }
}

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;
const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Builds a service's HTTP app without listening: request ids, problem+json errors, zod validation of
 * requests and responses, the OpenAPI document at `/openapi.json`, health, metrics, tracing and one
 * access-log line per request. Register the service's routes on the result; tests call `inject()`.
 *
 * @example
 * const app = await createServiceApp({ name: 'catalog', readiness: { database: () => pingDatabase(pool) } });
 * app.get('/products/:id', { schema: { params: ProductIdParams, response: { 200: Product } } }, handler);
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  // Widened to Fastify's logger type so the app's type stays the plain ServiceApp.
  const logger: FastifyBaseLogger = options.logger ?? createLogger({ service: options.name });
  const app = Fastify({
    loggerInstance: logger,
    // Fastify's own two lines per request are replaced by one access-log line (see registerAccessLog).
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'reqId' }),
    bodyLimit: options.bodyLimitBytes ?? 1_048_576,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 72_000,
    requestIdHeader: 'x-request-id',
    genReqId: () => newId(),
    // Path parameters as long as the longest our contracts allow (tokens up to 200 characters), not Fastify's 100.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  app.decorate('health', { draining: false });
  app.decorate('metricsRegistry', new Registry());
  app.decorateRequest('span', undefined);

  // An incoming request id is kept only when it is safe to echo into logs and headers.
  app.addHook('onRequest', async (request) => {
    const incoming = request.headers['x-request-id'];
    if (typeof incoming === 'string' && !REQUEST_ID_PATTERN.test(incoming)) {
      (request as { id: string }).id = newId();
    }
  });
  registerTracing(app);
  registerAccessLog(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.name, version: options.version ?? '0.1.0', description: options.description ?? '' },
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true }, logLevel: 'warn' }, async () => app.swagger());

  registerHealth(app, options.readiness ?? {}, app.health);
  registerMetrics(app, app.metricsRegistry, { service: options.name });
  return app;
}

/**
 * One server span per request, continuing the caller's W3C trace context. The span starts where
 * Fastify makes the request's logger, so that one child logger carries request id, trace id and span
 * id together (a second child per request was a measurable share of a busy gateway's time). It
 * becomes the active context in `preHandler`, the last hook before the handler, so everything the
 * handler awaits (queries, outgoing calls, log lines) is inside it.
 */
function registerTracing(app: ServiceApp): void {
  const spans = new WeakMap<object, Span>();
  app.setChildLoggerFactory((logger, bindings, childOptions, rawRequest) => {
    const parent = propagation.extract(context.active(), rawRequest.headers);
    const span = getTracer().startSpan(
      `${rawRequest.method ?? 'GET'} unmatched`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': rawRequest.method ?? '',
          'url.path': (rawRequest.url ?? '').split('?')[0],
        },
      },
      parent,
    );
    spans.set(rawRequest, span);
    const spanContext = span.spanContext();
    return trace.isSpanContextValid(spanContext)
      ? withTraceIds(logger, spanContext, bindings, childOptions)
      : logger.child(bindings, childOptions);
  });
  app.addHook('onRequest', (request, reply, done) => {
    const span = spans.get(request.raw);
    if (!span) return done();
    request.span = span;
    if (request.routeOptions.url) span.updateName(`${request.method} ${request.routeOptions.url}`);
    const spanContext = span.spanContext();
    if (trace.isSpanContextValid(spanContext)) {
      reply.header('traceparent', `00-${spanContext.traceId}-${spanContext.spanId}-0${spanContext.traceFlags}`);
    }
    done();
  });
  app.addHook('preHandler', (request, _reply, done) => {
    if (!request.span) return done();
    context.with(trace.setSpan(context.active(), request.span), done);
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = request.span;
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (request.routeOptions.url) span.setAttribute('http.route', request.routeOptions.url);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}

function registerAccessLog(app: ServiceApp): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // While draining, keep-alive clients are told to reconnect (elsewhere) instead of reusing this socket.
    if (app.health.draining) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    const line = {
      method: request.method,
      url: request.url,
      route,
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (route && QUIET_ROUTES.has(route)) request.log.debug(line, 'request');
    else if (reply.statusCode >= 500) request.log.error(line, 'request');
    else request.log.info(line, 'request');
  });
}
