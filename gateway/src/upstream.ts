import { Pool, errors as undiciErrors } from 'undici';

/** A keep-alive connection pool to one upstream service. */
export interface Upstream {
  readonly name: string;
  readonly origin: string;
  readonly pool: Pool;
}

export function createUpstream(name: string, origin: string): Upstream {
  return {
    name,
    origin,
    pool: new Pool(origin, {
      connections: 64,
      keepAliveTimeout: 30_000,
      // Below the upstream's own keep-alive timeout, so we never reuse a socket it is about to close.
      keepAliveMaxTimeout: 60_000,
      connect: { timeout: 2_000 },
    }),
  };
}

export type UpstreamFailure = 'unreachable' | 'timeout' | 'bad-response';

/** Tells a dead upstream (503) from a slow one (504) and from one that answered badly (502). */
export function classifyUpstreamError(error: unknown): UpstreamFailure {
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
