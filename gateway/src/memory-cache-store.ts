import { GENERATION_LIFETIME_MS, type CacheStore, type CachedResponse } from './cache-store.ts';

/**
 * Cached answers in this process's memory, bounded by entry count and bytes; the least recently used
 * go first.
 *
 * @example
 * const store = createMemoryCacheStore({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 });
 */
export function createMemoryCacheStore(
  options: { maxEntries?: number; maxBytes?: number; now?: () => number } = {},
): CacheStore {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { entry: CachedResponse; keepUntil: number; bytes: number }>();
  // One per scope changed lately (a product's page: one per product an administrator touched today).
  const generations = new Map<string, { value: number; usedAt: number }>();
  let bytes = 0;

  const remove = (key: string): void => {
    const held = entries.get(key);
    if (!held) return;
    entries.delete(key);
    bytes -= held.bytes;
  };

  return {
    async get(key) {
      const held = entries.get(key);
      if (!held) return undefined;
      if (held.keepUntil <= now()) {
        remove(key);
        return undefined;
      }
      // Re-inserted on every read, so the Map's order is least recently used first.
      entries.delete(key);
      entries.set(key, held);
      return held.entry;
    },
    async set(key, entry, keepMs) {
      remove(key);
      const size = entry.body.length + key.length + 512;
      if (size > maxBytes) return;
      entries.set(key, { entry, keepUntil: now() + keepMs, bytes: size });
      bytes += size;
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries && bytes <= maxBytes) break;
        remove(oldest);
      }
    },
    async invalidate(prefix) {
      let dropped = 0;
      for (const key of [...entries.keys()]) {
        if (!key.startsWith(prefix)) continue;
        remove(key);
        dropped += 1;
      }
      return dropped;
    },
    async generation(scope) {
      const held = generations.get(scope);
      if (!held) return 0;
      held.usedAt = now();
      return held.value;
    },
    async bumpGenerations(scopes) {
      const at = now();
      for (const [scope, held] of generations) {
        if (held.usedAt + GENERATION_LIFETIME_MS <= at) generations.delete(scope);
      }
      for (const scope of scopes) {
        generations.set(scope, { value: (generations.get(scope)?.value ?? 0) + 1, usedAt: at });
      }
    },
  };
}
