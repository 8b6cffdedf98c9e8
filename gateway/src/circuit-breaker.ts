import { createSlidingWindow } from './sliding-window.ts';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  /** The window failure rates are measured over. */
  windowMs: number;
  /** No rate-based opening below this many requests in the window: two failures out of three prove nothing. */
  minRequests: number;
  /** Opens when at least this share of the window's requests failed… */
  failureRatio: number;
  /** …or after this many failures in a row, whatever the volume. */
  consecutiveFailures: number;
  /** How long it stays open before letting probes through. */
  coolDownMs: number;
  /** Requests let through at once while half-open. */
  halfOpenProbes: number;
}

export const defaultBreakerSettings: BreakerSettings = {
  windowMs: 10_000,
  minRequests: 20,
  failureRatio: 0.5,
  consecutiveFailures: 10,
  coolDownMs: 5_000,
  halfOpenProbes: 1,
};

/**
 * A circuit breaker for one upstream. Closed: everything goes, outcomes are counted. Open: nothing goes
 * (the caller answers at once) until the cool-down ends. Half-open: a few probes go; a success closes
 * the circuit, a failure opens it again.
 */
export interface CircuitBreaker {
  readonly state: CircuitState;
  /** Whether a request may go now; when it may, report its outcome with `succeeded`, `failed` or `abandoned`. */
  tryAcquire(): boolean;
  succeeded(): void;
  failed(): void;
  /** The request ended without telling anything about the upstream (the caller's own fault). */
  abandoned(): void;
  /** While open, how long until probes are let through. */
  retryAfterMs(): number;
}

export function createCircuitBreaker(
  settings: BreakerSettings,
  options: { now: () => number; onTransition?: (from: CircuitState, to: CircuitState) => void },
): CircuitBreaker {
  const window = createSlidingWindow({ windowMs: settings.windowMs, now: options.now });
  let state: CircuitState = 'closed';
  let consecutive = 0;
  let openUntil = 0;
  let probes = 0;

  const moveTo = (next: CircuitState): void => {
    const previous = state;
    state = next;
    if (next === 'open') openUntil = options.now() + settings.coolDownMs;
    if (next === 'closed') {
      window.reset();
      consecutive = 0;
    }
    probes = 0;
    options.onTransition?.(previous, next);
  };

  return {
    get state() {
      return state;
    },
    tryAcquire() {
      if (state === 'closed') return true;
      if (state === 'open') {
        if (options.now() < openUntil) return false;
        moveTo('half-open');
      }
      if (probes >= settings.halfOpenProbes) return false;
      probes += 1;
      return true;
    },
    succeeded() {
      consecutive = 0;
      if (state === 'half-open') return moveTo('closed');
      window.add(1, 0);
    },
    failed() {
      consecutive += 1;
      if (state === 'half-open') return moveTo('open');
      if (state === 'open') return;
      window.add(1, 1);
      if (consecutive >= settings.consecutiveFailures) return moveTo('open');
      const { total, marked } = window.totals();
      if (total >= settings.minRequests && marked / total >= settings.failureRatio) moveTo('open');
    },
    abandoned() {
      if (state === 'half-open' && probes > 0) probes -= 1;
    },
    retryAfterMs() {
      return state === 'open' ? Math.max(0, openUntil - options.now()) : 0;
    },
  };
}
