import type { CacheStore, CachedResponse } from './cache-store.ts';
import { createMemoryCacheStore } from './memory-cache-store.ts';

/**
 * The gateway's cache of GET answers: a store (memory or Redis), the coalescing of concurrent misses so
 * that one upstream call serves them all, and invalidation by path prefix.
 */
export interface ResponseCache {
  /**
   * Drops every cached answer under a public path prefix, for every caller and query string; what is
   * being fetched at that moment is not stored either. Resolves to how many entries went.
   *
   * @example
   * await cache.invalidate('/api/catalog/products/0193c5d2'); // that product changed
   * await cache.invalidate('/api/catalog');                   // everything from catalog
   */
  invalidate(prefix: string): Promise<number>;
  /** The entry under `key`, or undefined (also when the store fails: a cache outage is a miss). */
  read(key: string): Promise<CachedResponse | undefined>;
  /**
   * Runs `fetch` once for all concurrent callers with the same key; `leader` is true for the one whose
   * call runs. Store with `write`, passing the `generation` read before fetching.
   */
  coalesce<T>(key: string, fetch: () => Promise<T>): { result: Promise<T>; leader: boolean };
  /** Stores an answer, unless an invalidation happened since `generation` (it may predate the change). */
  write(key: string, entry: CachedResponse, keepMs: number, generation: number): void;
  /** Increases with every invalidation. */
  readonly generation: number;
}

/**
 * @example
 * const cache = createResponseCache({ store: createRedisCacheStore({ redis }) });
 * await buildGatewayApp({ cache, ... });
 * onProductChanged((id) => cache.invalidate(`/api/catalog/products/${id}`));
 */
export function createResponseCache(
  options: { store?: CacheStore; onError?: (error: unknown) => void } = {},
): ResponseCache {
  const store = options.store ?? createMemoryCacheStore();
  const onError = options.onError ?? (() => undefined);
  const inFlight = new Map<string, Promise<unknown>>();
  let generation = 0;
  return {
    async invalidate(prefix) {
      generation += 1;
      return store.invalidate(prefix);
    },
    async read(key) {
      try {
        return await store.get(key);
      } catch (error) {
        onError(error);
        return undefined;
      }
    },
    coalesce<T>(key: string, fetch: () => Promise<T>) {
      const running = inFlight.get(key) as Promise<T> | undefined;
      if (running) return { result: running, leader: false };
      const result = fetch().finally(() => inFlight.delete(key));
      inFlight.set(key, result);
      return { result, leader: true };
    },
    write(key, entry, keepMs, since) {
      if (since !== generation) return;
      store.set(key, entry, keepMs).catch(onError);
    },
    get generation() {
      return generation;
    },
  };
}
