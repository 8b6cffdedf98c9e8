import { describe, expect, it } from 'vitest';
import { manualClock } from '@talad/core';
import { createCircuitBreaker } from './circuit-breaker.ts';
import { isRetryableStatus, retryDelay, tryUntilAnswered, type TryOutcome } from './retries.ts';

describe('circuit breaker', () => {
  const policy = { failureThreshold: 3, openMs: 1_000 };

  it('opens after consecutive failures and refuses calls while open', () => {
    const breaker = createCircuitBreaker(policy, manualClock());
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('forgets failures after a success', () => {
    const breaker = createCircuitBreaker(policy, manualClock());
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
  });

  it('lets one trial call through after the open period; its success closes the circuit', () => {
    const clock = manualClock();
    const breaker = createCircuitBreaker(policy, clock);
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    clock.advance(1_000);
    expect(breaker.state()).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state()).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens again at once when the trial call fails', () => {
    const clock = manualClock();
    const breaker = createCircuitBreaker(policy, clock);
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    clock.advance(1_000);
    breaker.tryAcquire();
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    clock.advance(999);
    expect(breaker.tryAcquire()).toBe(false);
  });
});

describe('retries of one provider call', () => {
  const policy = { attempts: 3, initialDelayMs: 100, maxDelayMs: 250 };

  it('retries failures until an answer comes, pausing longer each time', async () => {
    const pauses: number[] = [];
    const outcomes: Array<TryOutcome<string>> = [
      { kind: 'retry', error: new Error('503') },
      { kind: 'retry', error: new Error('timeout') },
      { kind: 'answer', value: 'authorized' },
    ];
    const tries: number[] = [];
    const answer = await tryUntilAnswered(
      async (tryNumber) => {
        tries.push(tryNumber);
        return outcomes[tryNumber - 1]!;
      },
      policy,
      async (ms) => pauses.push(ms),
    );
    expect(answer).toBe('authorized');
    expect(tries).toEqual([1, 2, 3]);
    expect(pauses).toEqual([100, 200]);
  });

  it('throws the last failure when every try failed', async () => {
    let tries = 0;
    const attempt = async (): Promise<TryOutcome<string>> => ({
      kind: 'retry',
      error: new Error(`failure ${++tries}`),
    });
    await expect(tryUntilAnswered(attempt, policy, async () => undefined)).rejects.toThrow('failure 3');
    expect(tries).toBe(3);
  });

  it('stops at once when a try throws (an open circuit, a bug)', async () => {
    let tries = 0;
    const attempt = async (): Promise<TryOutcome<string>> => {
      tries += 1;
      throw new Error('circuit open');
    };
    await expect(tryUntilAnswered(attempt, policy, async () => undefined)).rejects.toThrow('circuit open');
    expect(tries).toBe(1);
  });

  it('caps the pause between tries', () => {
    expect([1, 2, 3, 4].map((failures) => retryDelay(failures, policy))).toEqual([100, 200, 250, 250]);
  });

  it('retries 5xx, 429 and a key still in use, and takes every other answer as the answer', () => {
    expect(isRetryableStatus(503, 'CARD_PROVIDER_UNAVAILABLE')).toBe(true);
    expect(isRetryableStatus(500, undefined)).toBe(true);
    expect(isRetryableStatus(429, undefined)).toBe(true);
    expect(isRetryableStatus(409, 'CARD_PROVIDER_IDEMPOTENCY_KEY_IN_USE')).toBe(true);
    expect(isRetryableStatus(409, 'CARD_PROVIDER_INVALID_STATE')).toBe(false);
    expect(isRetryableStatus(400, 'CARD_PROVIDER_UNKNOWN_TOKEN')).toBe(false);
    expect(isRetryableStatus(201, undefined)).toBe(false);
  });
});
