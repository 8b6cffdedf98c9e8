import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff.ts';
import { createSemaphore } from './semaphore.ts';

describe('semaphore', () => {
  it('lets in at most its limit, then waiters first come first served', async () => {
    const slots = createSemaphore(2);
    const first = await slots.acquire();
    const second = await slots.acquire();
    const order: number[] = [];
    const third = slots.acquire().then((release) => (order.push(3), release));
    const fourth = slots.acquire().then((release) => (order.push(4), release));
    await Promise.resolve();
    expect(order).toEqual([]);
    first();
    first(); // releasing twice frees one slot, not two
    (await third)();
    second();
    await fourth;
    expect(order).toEqual([3, 4]);
  });

  it('refuses a limit below one', () => {
    expect(() => createSemaphore(0)).toThrow(RangeError);
  });
});

describe('backoff', () => {
  it('grows exponentially up to its ceiling, each delay between half and all of it', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const ceiling = Math.min(5_000, 100 * 2 ** attempt);
      const wait = backoffMs(attempt, { initialMs: 100, maxMs: 5_000 });
      expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
      expect(wait).toBeLessThanOrEqual(ceiling);
    }
  });
});
