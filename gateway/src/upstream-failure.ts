import { errors as undiciErrors } from 'undici';
import { GatewayErrorCode } from './error-codes.ts';

/**
 * Why no usable answer came from upstream: nobody answered (503), too slow (504), a broken answer (502),
 * the breaker is open (503 at once), or the caller's own body was too large (413, the upstream is fine).
 */
export type UpstreamFailure = 'unreachable' | 'timeout' | 'bad-response' | 'circuit-open' | 'body-too-large';

export class UpstreamError extends Error {
  readonly failure: UpstreamFailure;
  /** For `circuit-open`: when probes will be let through again. */
  readonly retryAfterMs: number;
  constructor(failure: UpstreamFailure, cause?: unknown, retryAfterMs = 0) {
    super(failure, { cause });
    this.name = 'UpstreamError';
    this.failure = failure;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The request body went past the limit while streaming; thrown inside the body, so it aborts the upload. */
export class BodyTooLargeError extends Error {
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`the request body is larger than ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
    this.limitBytes = limitBytes;
  }
}

export const FAILURE_ANSWER: Record<
  UpstreamFailure,
  { status: number; code: string; detail: (service: string) => string }
> = {
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
  'circuit-open': {
    status: 503,
    code: GatewayErrorCode.CircuitOpen,
    detail: (service) => `the ${service} service is failing; the gateway stopped calling it for a moment`,
  },
  'body-too-large': {
    status: 413,
    code: GatewayErrorCode.BodyTooLarge,
    detail: () => 'the request body is too large',
  },
};

/** Tells a dead upstream (503) from a slow one (504), from one that answered badly (502), from our own limit. */
export function classifyUpstreamError(error: unknown): UpstreamFailure {
  if (error instanceof UpstreamError) return error.failure;
  if (error instanceof BodyTooLargeError || (error as { cause?: unknown }).cause instanceof BodyTooLargeError) {
    return 'body-too-large';
  }
  const code = (error as { code?: string }).code;
  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    (error as Error).name === 'TimeoutError' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return 'timeout';
  }
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EHOSTUNREACH' ||
    (code === 'ECONNRESET' && !(error as { bytesRead?: number }).bytesRead)
  ) {
    return 'unreachable';
  }
  if (error instanceof undiciErrors.SocketError || error instanceof undiciErrors.ClientClosedError)
    return 'unreachable';
  return 'bad-response';
}
