import { describe, expect, it } from 'vitest';
import { nextAttempt, restartDelay, restartPolicy } from './backoff.ts';

describe('restart backoff', () => {
  it('doubles from half a second and stops growing at 30 seconds', () => {
    const delays = Array.from({ length: 9 }, (_, index) => restartDelay(index + 1));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('stays capped (and finite) however many attempts there were', () => {
    expect(restartDelay(10_000)).toBe(30_000);
  });

  it('counts attempts up while a service keeps crashing soon after starting', () => {
    expect(nextAttempt(0, 100)).toBe(1);
    expect(nextAttempt(3, restartPolicy.resetAfterMs - 1)).toBe(4);
  });

  it('starts from the first attempt again after the service stayed up a while', () => {
    expect(nextAttempt(6, restartPolicy.resetAfterMs)).toBe(1);
    expect(restartDelay(nextAttempt(6, 60_000))).toBe(500);
  });
});
