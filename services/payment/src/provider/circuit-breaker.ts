import type { Clock } from '@talad/core';

export interface CircuitBreakerPolicy {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before one trial call is let through. */
  openMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  /** Whether a call may go out now. In half-open, only one trial call is let through at a time. */
  tryAcquire(): boolean;
  recordSuccess(): void;
  recordFailure(): void;
  state(): CircuitState;
}

/**
 * A circuit breaker over consecutive failures. Closed: calls go through; `failureThreshold` failures
 * in a row open it. Open: calls are refused at once (the dependency gets time to recover and callers
 * do not wait on deadlines) until `openMs` passed. Half-open: one trial call; its success closes the
 * circuit, its failure opens it again.
 *
 * @example
 * const breaker = createCircuitBreaker({ failureThreshold: 5, openMs: 5_000 }, clock);
 * if (!breaker.tryAcquire()) throw new ProviderUnavailableError('circuit open');
 */
export function createCircuitBreaker(policy: CircuitBreakerPolicy, clock: Clock): CircuitBreaker {
  let failures = 0;
  let openedAt: number | undefined;
  let trialInFlight = false;

  const state = (): CircuitState => {
    if (openedAt === undefined) return 'closed';
    return clock.now().getTime() - openedAt >= policy.openMs ? 'half-open' : 'open';
  };

  return {
    state,
    tryAcquire() {
      const current = state();
      if (current === 'closed') return true;
      if (current === 'open' || trialInFlight) return false;
      trialInFlight = true;
      return true;
    },
    recordSuccess() {
      failures = 0;
      openedAt = undefined;
      trialInFlight = false;
    },
    recordFailure() {
      failures += 1;
      if (trialInFlight || failures >= policy.failureThreshold) openedAt = clock.now().getTime();
      trialInFlight = false;
    },
  };
}
