/** Limits how many tasks run at once; waiters are let in first come, first served. */
export interface Semaphore {
  /** Resolves with a release function once a slot is free. */
  acquire(): Promise<() => void>;
}

/**
 * @example
 * const slots = createSemaphore(4);
 * const release = await slots.acquire();
 * try { await work(); } finally { release(); }
 */
export function createSemaphore(limit: number): Semaphore {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer: ${limit}`);
  let free = limit;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return {
    acquire() {
      if (free > 0) {
        free--;
        return Promise.resolve(once(release));
      }
      return new Promise((resolve) => waiting.push(() => resolve(once(release))));
    },
  };
}

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}
