import type { Pool } from '@talad/pg';
import { START, type GlobalCursor, type RecordedEvent } from './events.ts';
import { startPollLoop } from './poll-loop.ts';
import { readAll } from './read-all.ts';

export interface SubscriptionOptions {
  /** Start after this place; from the first event when omitted. */
  from?: GlobalCursor;
  /** Only events of these types; all when omitted. */
  types?: readonly string[];
  /** Receives each batch in global order; the cursor moves past a batch only once this resolved. */
  handle: (events: readonly RecordedEvent[]) => Promise<void>;
  batchSize?: number;
  /** How often to look for new events when `wake()` is not called. Defaults to 500 ms. */
  pollIntervalMs?: number;
  /** A failed read or handler: reported, then the same batch is tried again (at least once). */
  onError?: (error: unknown) => void;
}

export interface EventSubscription {
  /** The place after the last batch handled. */
  cursor(): GlobalCursor;
  /** Looks for new events now (call after a commit that appended). */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Follows every stream in the committed-only global order (`readAll`), holding its cursor in memory.
 * For a reader that must survive restarts, keep the cursor with the reader's own writes: that is a
 * projection (`startProjection`).
 *
 * @example
 * const subscription = subscribeToAll(pool, { handle: async (events) => { for (const event of events) seen.push(event); } });
 * await subscription.stop();
 */
export function subscribeToAll(pool: Pool, options: SubscriptionOptions): EventSubscription {
  let cursor = options.from ?? START;
  const batchSize = options.batchSize ?? 500;
  const loop = startPollLoop({
    pollIntervalMs: options.pollIntervalMs ?? 500,
    onError: options.onError ?? (() => undefined),
    round: async () => {
      const batch = await readAll(pool, {
        after: cursor,
        limit: batchSize,
        ...(options.types ? { types: options.types } : {}),
      });
      if (batch.events.length === 0) return false;
      await options.handle(batch.events);
      cursor = batch.cursor;
      return batch.events.length === batchSize;
    },
  });
  return { cursor: () => cursor, wake: () => loop.wake(), stop: () => loop.stop() };
}
