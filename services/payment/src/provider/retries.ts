/** How one call to the provider is retried (always with the same idempotency key). */
export interface CallRetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Pause after the first failed try; doubles after each further one. */
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * What one try came to: an answer (whatever the provider decided, including refusals), or a failure
 * worth retrying (no answer, a 5xx, a key still in use), which says nothing about what the provider did.
 */
export type TryOutcome<T> = { kind: 'answer'; value: T } | { kind: 'retry'; error: Error };

/**
 * Which answers of the provider are worth another try with the same idempotency key: 5xx (the
 * provider failed, maybe before acting), 429, and 409 "key in use" (the first try is still running
 * there; the retry will get its answer). Other 4xx are the provider's answer to this request.
 */
export function isRetryableStatus(status: number, code: string | undefined): boolean {
  if (status >= 500 || status === 429 || status === 408) return true;
  return status === 409 && code === 'CARD_PROVIDER_IDEMPOTENCY_KEY_IN_USE';
}

/**
 * Runs `attempt` until it gives an answer or the tries run out, pausing between tries. Returns the
 * answer; throws the last failure when every try failed; an exception thrown by `attempt` (a refusal
 * of the circuit breaker, a bug) ends the loop at once.
 *
 * @example
 * await tryUntilAnswered((n) => callProvider(n), { attempts: 3, initialDelayMs: 100, maxDelayMs: 1_000 }, sleep);
 */
export async function tryUntilAnswered<T>(
  attempt: (tryNumber: number) => Promise<TryOutcome<T>>,
  policy: CallRetryPolicy,
  pause: (milliseconds: number) => Promise<unknown>,
): Promise<T> {
  let lastError: Error | undefined;
  for (let tryNumber = 1; tryNumber <= Math.max(1, policy.attempts); tryNumber++) {
    if (tryNumber > 1) await pause(retryDelay(tryNumber - 1, policy));
    const outcome = await attempt(tryNumber);
    if (outcome.kind === 'answer') return outcome.value;
    lastError = outcome.error;
  }
  throw lastError ?? new Error('no attempt was made');
}

/** Pause after `failures` failed tries: exponential and capped. */
export function retryDelay(failures: number, policy: Pick<CallRetryPolicy, 'initialDelayMs' | 'maxDelayMs'>): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, failures - 1));
}
