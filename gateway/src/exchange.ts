import type { Readable } from 'node:stream';
import type { Upstream } from './upstream.ts';
import { callInstance, type UpstreamAnswer } from './upstream-call.ts';
import type { UpstreamInstance } from './upstream-instance.ts';
import { classifyUpstreamError, UpstreamError } from './upstream-failure.ts';

export interface UpstreamRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** A Buffer can be sent again; a stream cannot, so a streamed request is never retried. */
  body: Buffer | Readable | null;
  /** Monotonic time by which the upstream must have answered with headers. */
  deadlineAt: number;
  /** Longest silence while the body streams back. */
  bodyTimeoutMs: number;
  /** Whether sending it twice is harmless (idempotent method without a body, or an Idempotency-Key). */
  retryable: boolean;
}

/** Told of each attempt, for metrics; kept out of the loop so labels are resolved once per route. */
export interface AttemptObserver {
  answered(statusCode: number, seconds: number): void;
  failed(failure: string): void;
  retried(sent: boolean): void;
}

/**
 * Sends one request to an upstream: through its circuit breaker, to the instance its balancer picks,
 * retrying a retryable request on another healthy instance when the first refused the connection or
 * answered 502/503, as long as the retry budget allows. An instance that failed at the connection level
 * or timed out is ejected. Throws an `UpstreamError` when no usable answer came.
 */
export async function exchange(
  upstream: Upstream,
  request: UpstreamRequest,
  observer: AttemptObserver,
  now: () => number,
): Promise<UpstreamAnswer> {
  upstream.budget.requested();
  let tried: UpstreamInstance[] | undefined;
  for (let attempt = 1; ; attempt++) {
    const { breaker } = upstream;
    if (!breaker.tryAcquire()) throw new UpstreamError('circuit-open', undefined, breaker.retryAfterMs());
    const instance = upstream.balancer.pick(upstream.instances, tried, attempt === 1);
    const remaining = request.deadlineAt - now();
    if (instance === undefined || remaining <= 0) {
      breaker.abandoned();
      throw new UpstreamError(instance === undefined ? 'unreachable' : 'timeout');
    }
    const started = now();
    instance.outstanding += 1;
    let response: UpstreamAnswer;
    try {
      response = await callInstance(
        instance.pool,
        {
          method: request.method,
          path: request.path,
          headers: request.headers,
          body: request.body,
          // undici's own limits stay as a backstop (constant, so undici reuses its timer); the deadline
          // timer is the one that fires on time.
          headersTimeout: request.bodyTimeoutMs + 1_000,
          bodyTimeout: request.bodyTimeoutMs,
        },
        remaining,
      );
    } catch (error) {
      instance.outstanding -= 1;
      const failure = classifyUpstreamError(error);
      observer.failed(failure);
      if (failure === 'body-too-large') {
        breaker.abandoned();
        throw new UpstreamError(failure, error);
      }
      breaker.failed();
      if (failure === 'unreachable' || failure === 'timeout') upstream.health.eject(instance);
      if (failure === 'unreachable' && mayRetry(upstream, request, attempt, (tried ??= []), instance, observer))
        continue;
      throw new UpstreamError(failure, error);
    }
    // In flight until the headers arrive: what least-outstanding compares, without a listener per body.
    instance.outstanding -= 1;
    const status = response.statusCode;
    observer.answered(status, (now() - started) / 1000);
    if (instance.ejected) upstream.health.recovered(instance);
    if (status >= 500) breaker.failed();
    else breaker.succeeded();
    if (
      (status === 502 || status === 503) &&
      mayRetry(upstream, request, attempt, (tried ??= []), instance, observer)
    ) {
      if (!Buffer.isBuffer(response.body)) response.body.destroy();
      continue;
    }
    return response;
  }
}

function mayRetry(
  upstream: Upstream,
  request: UpstreamRequest,
  attempt: number,
  tried: UpstreamInstance[],
  failed: UpstreamInstance,
  observer: AttemptObserver,
): boolean {
  if (!request.retryable || attempt >= upstream.maxAttempts) return false;
  tried.push(failed);
  // Only to a different, healthy instance: the same one again would most likely fail the same way.
  if (!upstream.instances.some((instance) => !instance.ejected && !tried.includes(instance))) return false;
  const sent = upstream.budget.tryRetry();
  observer.retried(sent);
  return sent;
}
