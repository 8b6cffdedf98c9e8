/**
 * A wake-up call for loops that otherwise sleep: `wait` resolves on `notify` or after a timeout,
 * whichever comes first. A notify while nobody waits is remembered, so a wake-up is never lost
 * between a loop's check and its wait.
 */
export class Signal {
  #pending = false;
  readonly #waiters = new Set<() => void>();

  notify(): void {
    this.#pending = true;
    for (const wake of this.#waiters) wake();
  }

  async wait(timeoutMs: number): Promise<void> {
    if (!this.#pending) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        this.#waiters.add(done);
      });
    }
    this.#pending = false;
  }
}

/** Sleeps, or stops sleeping as soon as the signal is aborted (then resolves false). */
export async function sleep(milliseconds: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return false;
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
