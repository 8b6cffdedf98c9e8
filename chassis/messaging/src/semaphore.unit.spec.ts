import { describe, expect, it } from 'vitest';
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

  it('gives up waiting when the signal aborts, taking no slot', async () => {
    const slots = createSemaphore(1);
    const held = await slots.acquire();
    const stopping = new AbortController();
    const waiting = slots.acquire(stopping.signal);
    stopping.abort();
    expect(await waiting).toBeUndefined();
    expect(await slots.acquire(stopping.signal)).toBeUndefined();
    held();
    const next = await slots.acquire(new AbortController().signal);
    expect(next).toBeTypeOf('function');
  });

  it('refuses a limit below one', () => {
    expect(() => createSemaphore(0)).toThrow(RangeError);
  });
});
