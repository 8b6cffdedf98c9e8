import { expect, it } from 'vitest';
import { createSemaphore } from './semaphore.ts';

it('lets `size` holders in at once and the next waiter in as each leaves, in arrival order', async () => {
  const semaphore = createSemaphore(2);
  const first = await semaphore.acquire();
  await semaphore.acquire();
  const order: string[] = [];
  const third = semaphore.acquire().then((release) => (order.push('third'), release));
  const fourth = semaphore.acquire().then((release) => (order.push('fourth'), release));
  await Promise.resolve();
  expect(order).toEqual([]);
  first();
  first(); // a second release of the same slot changes nothing
  (await third)();
  await fourth;
  expect(order).toEqual(['third', 'fourth']);
  expect(() => createSemaphore(0)).toThrow(RangeError);
});
