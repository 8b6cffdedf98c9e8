/** How a failing handler is retried before its message becomes a dead letter. */
export interface RetryPolicy {
  /** Handler attempts in all, the first included; then the message is dead-lettered. */
  attempts: number;
  /** Pause after the first failure; doubles after each further one. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, initialDelayMs: 200, maxDelayMs: 10_000 };

/**
 * Pause before attempt `failures + 1`: exponential, capped, with "equal jitter" (half fixed, half
 * random) so that many consumers failing together do not retry in lockstep, yet never retry at once.
 *
 * @example
 * backoffDelay(1, { attempts: 5, initialDelayMs: 200, maxDelayMs: 10_000 }); // 100..200 ms
 * backoffDelay(3, policy); // 400..800 ms
 */
export function backoffDelay(
  failures: number,
  policy: Pick<RetryPolicy, 'initialDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

// SQLSTATE classes and codes that mean "the database is unreachable", not "this message is bad":
// connection exceptions, the server shutting down or starting, too many connections.
const INFRASTRUCTURE_SQLSTATE = /^(08|57P0[1-3]|53300|53400)/;
const INFRASTRUCTURE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);
const INFRASTRUCTURE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/i;

/**
 * Whether an error means the infrastructure is down (the database unreachable) rather than the
 * message or its handler being wrong. Such failures are never counted against the message: a
 * database outage must not turn into dead letters. Looks through `cause` chains.
 */
export function isInfrastructureError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && (INFRASTRUCTURE_SQLSTATE.test(code) || INFRASTRUCTURE_ERRNO.has(code))) return true;
    if (INFRASTRUCTURE_MESSAGE.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}
