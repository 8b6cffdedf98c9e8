import { createSlidingWindow } from './sliding-window.ts';

export interface RetryBudgetSettings {
  /** Retries may add at most this share of the window's requests… */
  ratio: number;
  /** …but this many are always allowed, so a quiet upstream can still retry at all. */
  minRetries: number;
  windowMs: number;
}

export const defaultRetryBudgetSettings: RetryBudgetSettings = { ratio: 0.2, minRetries: 10, windowMs: 10_000 };

/**
 * Caps retries at a share of traffic, so an upstream in trouble gets at most that much extra load from
 * retries instead of a storm that multiplies every request.
 */
export interface RetryBudget {
  /** Counts a first attempt. */
  requested(): void;
  /** Takes one retry from the budget; false when spent. */
  tryRetry(): boolean;
}

export function createRetryBudget(settings: RetryBudgetSettings, now: () => number): RetryBudget {
  const window = createSlidingWindow({ windowMs: settings.windowMs, now });
  return {
    requested() {
      window.add(1, 0);
    },
    tryRetry() {
      const { total, marked: retries } = window.totals();
      const requests = total - retries;
      if (retries + 1 > Math.max(settings.minRetries, settings.ratio * requests)) return false;
      window.add(1, 1);
      return true;
    },
  };
}
