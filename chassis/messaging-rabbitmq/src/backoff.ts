import { setTimeout as sleep } from 'node:timers/promises';

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * Exponential backoff, each delay drawn between half and all of its ceiling: instances that lost the
 * broker together do not all come back in the same millisecond.
 *
 * @example
 * await delay(backoffMs(attempt, { initialMs: 100, maxMs: 5_000 }), signal);
 */
export function backoffMs(attempt: number, backoff: Backoff): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export async function delay(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch {
    // Aborted: the caller checks its own state and stops.
  }
}
