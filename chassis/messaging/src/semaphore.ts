/** Gives a slot back; calling it again does nothing. */
export type Release = () => void;

/**
 * Bounds how many deliveries a consumer handles at once across its partitions (its `concurrency`); every
 * transport shares this one. Waiters are let in first come, first served.
 */
export interface Semaphore {
  /** Resolves with a slot's release once one is free. */
  acquire(): Promise<Release>;
  /** The same, or `undefined` if `signal` aborts first (then no slot is taken). */
  acquire(signal: AbortSignal): Promise<Release | undefined>;
}

/**
 * @example
 * const slots = createSemaphore(options.concurrency);
 * const release = await slots.acquire();
 * try { await handle(delivery); } finally { release(); }
 */
export function createSemaphore(limit: number): Semaphore {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  let free = limit;
  const waiting: Array<() => void> = [];
  const giveBack = (): void => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  const slot = (): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      giveBack();
    };
  };
  function acquire(): Promise<Release>;
  function acquire(signal: AbortSignal): Promise<Release | undefined>;
  function acquire(signal?: AbortSignal): Promise<Release | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    if (free > 0) {
      free--;
      return Promise.resolve(slot());
    }
    return new Promise((resolve) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', abandon);
        resolve(slot());
      };
      const abandon = (): void => {
        const index = waiting.indexOf(grant);
        if (index >= 0) waiting.splice(index, 1);
        resolve(undefined);
      };
      waiting.push(grant);
      signal?.addEventListener('abort', abandon, { once: true });
    });
  }
  return { acquire };
}
