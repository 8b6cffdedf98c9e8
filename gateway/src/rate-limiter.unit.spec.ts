import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from './rate-limiter.ts';

const policy = { name: 'p', burst: 2, perSecond: 4 };

describe('in-memory token bucket', () => {
  it('allows a burst, then says how long until the next token', async () => {
    const limiter = createMemoryRateLimiter({ now: () => 0 });
    expect(await limiter.take('k', policy)).toEqual({ allowed: true });
    expect(await limiter.take('k', policy)).toEqual({ allowed: true });
    expect(await limiter.take('k', policy)).toEqual({ allowed: false, retryAfterMs: 250 });
  });

  it('refills at the policy rate up to the burst', async () => {
    let time = 0;
    const limiter = createMemoryRateLimiter({ now: () => time });
    await limiter.take('k', policy);
    await limiter.take('k', policy);
    time += 250;
    expect(await limiter.take('k', policy)).toEqual({ allowed: true });
    time += 60_000;
    const afterLongPause = [
      await limiter.take('k', policy),
      await limiter.take('k', policy),
      await limiter.take('k', policy),
    ];
    expect(afterLongPause.map((decision) => decision.allowed)).toEqual([true, true, false]);
  });

  it('keeps separate buckets per key, dropping the least recently used past the bound', async () => {
    const limiter = createMemoryRateLimiter({ now: () => 0, maxKeys: 2 });
    for (const key of ['a', 'a', 'b', 'b']) await limiter.take(key, policy);
    expect((await limiter.take('a', policy)).allowed).toBe(false);
    await limiter.take('c', policy); // evicts b, the least recently used
    expect((await limiter.take('b', policy)).allowed).toBe(true);
  });
});
