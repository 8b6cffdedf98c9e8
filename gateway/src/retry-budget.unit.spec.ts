import { describe, expect, it } from 'vitest';
import { createRetryBudget } from './retry-budget.ts';

describe('retry budget', () => {
  it('allows retries up to the ratio of requests in the window', () => {
    const budget = createRetryBudget({ ratio: 0.2, minRetries: 0, windowMs: 10_000 }, () => 0);
    for (let index = 0; index < 50; index++) budget.requested();
    const granted = Array.from({ length: 20 }, () => budget.tryRetry()).filter(Boolean).length;
    expect(granted).toBe(10);
  });

  it('always allows the minimum, and refills as the window moves on', () => {
    let time = 0;
    const budget = createRetryBudget({ ratio: 0.2, minRetries: 2, windowMs: 10_000 }, () => time);
    budget.requested();
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
    time += 10_001;
    expect(budget.tryRetry()).toBe(true);
  });
});
