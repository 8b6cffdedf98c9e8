import { context, propagation, trace, SpanKind, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export interface Tracing {
  readonly tracer: Tracer;
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/**
 * Registers the process-wide tracer provider with W3C trace context propagation. Spans always exist
 * (so logs carry trace ids and calls carry `traceparent`); they are recorded and exported over
 * OTLP/HTTP only when an endpoint is configured. Without one, a trace that starts here is not
 * recorded: its spans have ids and propagate, but cost no attribute bookkeeping (recording spans
 * nobody exports took close to a third of a busy gateway's CPU); a caller's sampled trace still is.
 */
export function setupTracing(options: {
  serviceName: string;
  serviceVersion: string;
  otlpEndpoint?: string | undefined;
}): Tracing {
  if (active) return active;
  const spanProcessors: SpanProcessor[] = [];
  if (options.otlpEndpoint) {
    const url = new URL('/v1/traces', options.otlpEndpoint).toString();
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url })));
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: options.serviceVersion,
    }),
    spanProcessors,
    // Without an exporter, a trace is recorded only when the caller sampled it (its tracer exports it).
    ...(options.otlpEndpoint ? {} : { sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }) }),
  });
  provider.register();
  active = {
    tracer: trace.getTracer(options.serviceName, options.serviceVersion),
    shutdown: () => provider.shutdown(),
  };
  return active;
}

/** The tracer of this process; a no-op tracer until `setupTracing` has run (as in unit tests). */
export function getTracer(): Tracer {
  return active?.tracer ?? trace.getTracer('talad');
}

/** Trace and span id of the active span, for log lines. */
export function currentTraceIds(): { traceId: string; spanId: string } | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

/** Copies the active trace context into outgoing headers (`traceparent`, `tracestate`). */
export function injectTraceHeaders(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

/** Runs `work` in a new span, ending it with the outcome. */
export async function inSpan<T>(name: string, kind: SpanKind, work: (span: Span) => Promise<T>): Promise<T> {
  return getTracer().startActiveSpan(name, { kind }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };
