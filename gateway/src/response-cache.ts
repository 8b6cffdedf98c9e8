import type { CacheStore, CachedResponse } from './cache-store.ts';
import { createMemoryCacheStore } from './memory-cache-store.ts';

/**
 * The scope an answer to a public URL (path and query) is filed under, or undefined for none. A change
 * upstream bumps the generation of the scopes it makes stale (`invalidateScopes`), and every key carries
 * its scope's generation, so the answers filed under the old one are never found again.
 */
export type CacheScopeOf = (url: string) => string | undefined;

/**
 * The gateway's cache of GET answers: a store (memory or Redis), the coalescing of concurrent misses so
 * that one upstream call serves them all, and invalidation by path prefix or by scope.
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
  /**
   * Makes every answer filed under these scopes unreachable, for every gateway sharing the store, and
   * for fetches still on their way (they store under the generation they started with). Rejects when the
   * store cannot be reached, so the change can be applied again later.
   *
   * @example
   * await cache.invalidateScopes(['catalog', 'catalog/products/0193c5d2-…']);
   */
  invalidateScopes(scopes: readonly string[]): Promise<void>;
  /**
   * The key an answer to `url` is stored under now: the URL, then `variant` (a caller, on routes where each
   * has their own answers), then the generation of its scope. Undefined when the store cannot tell the
   * generation: that request goes upstream uncached.
   */
  keyOf(url: string, variant?: string): Promise<string | undefined>;
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
 * const cache = createResponseCache({ store: createRedisCacheStore({ redis }), scopeOf: catalogCacheRules().scopeOf });
 * await buildGatewayApp({ cache, ... });
 * onProductChanged((id) => cache.invalidateScopes(['catalog', `catalog/products/${id}`]));
 */
export function createResponseCache(
  options: { store?: CacheStore; onError?: (error: unknown) => void; scopeOf?: CacheScopeOf } = {},
): ResponseCache {
  const store = options.store ?? createMemoryCacheStore();
  const onError = options.onError ?? (() => undefined);
  const scopeOf = options.scopeOf ?? (() => undefined);
  const inFlight = new Map<string, Promise<unknown>>();
  let generation = 0;
  return {
    async invalidate(prefix) {
      generation += 1;
      return store.invalidate(prefix);
    },
    async invalidateScopes(scopes) {
      await store.bumpGenerations(scopes);
    },
    async keyOf(url, variant) {
      const key = variant === undefined ? url : `${url}\u0000${variant}`;
      const scope = scopeOf(url);
      if (scope === undefined) return key;
      try {
        return `${key}\u0000${scope}#${await store.generation(scope)}`;
      } catch (error) {
        onError(error);
        return undefined;
      }
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
