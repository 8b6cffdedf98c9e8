import type { Redis } from 'ioredis';
import { decodeEntry, encodeEntry, type CacheStore } from './cache-store.ts';

/**
 * Cached answers in Redis, shared by every gateway instance; Redis expires them. Invalidation scans the
 * keys under the prefix, which is fine for the few thousand entries a shop's GETs make.
 *
 * @example
 * const store = createRedisCacheStore({ redis, keyPrefix: 'talad:gateway:cache:' });
 */
export function createRedisCacheStore(options: { redis: Redis; keyPrefix?: string }): CacheStore {
  const { redis } = options;
  const namespace = options.keyPrefix ?? 'talad:gateway:cache:';
  // Not connected: a miss at once, rather than a request waiting for a reconnection.
  const ensureReady = (): void => {
    if (redis.status !== 'ready') throw new Error(`redis is ${redis.status}`);
  };
  return {
    async get(key) {
      ensureReady();
      const bytes = await redis.getBuffer(namespace + key);
      return bytes ? decodeEntry(bytes) : undefined;
    },
    async set(key, entry, keepMs) {
      ensureReady();
      await redis.set(namespace + key, encodeEntry(entry), 'PX', Math.max(1, Math.round(keepMs)));
    },
    async invalidate(prefix) {
      const pattern = `${escapeGlob(namespace + prefix)}*`;
      let dropped = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) dropped += await redis.unlink(...keys);
      } while (cursor !== '0');
      return dropped;
    },
  };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
