import type { Redis } from 'ioredis';
import { decodeEntry, encodeEntry, GENERATION_LIFETIME_MS, type CacheStore } from './cache-store.ts';

/**
 * Cached answers in Redis, shared by every gateway instance; Redis expires them. Invalidation scans the
 * keys under the prefix, which is fine for the few thousand entries a shop's GETs make. Scope generations
 * live in Redis too (`<keyPrefix>generation:<scope>`, never starting with `/` as entry keys do), so a
 * change one gateway hears of reaches the keys of all of them.
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
  const generationKey = (scope: string): string => `${namespace}generation:${scope}`;
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
    async generation(scope) {
      ensureReady();
      // Read and kept alive in one command: a generation in use is never forgotten (see its lifetime).
      const value = await redis.getex(generationKey(scope), 'PX', GENERATION_LIFETIME_MS);
      return value === null ? 0 : Number(value);
    },
    async bumpGenerations(scopes) {
      if (scopes.length === 0) return;
      ensureReady();
      const transaction = redis.multi();
      for (const scope of scopes) {
        transaction.incr(generationKey(scope)).pexpire(generationKey(scope), GENERATION_LIFETIME_MS);
      }
      const results = await transaction.exec();
      const failed = results?.find(([error]) => error !== null)?.[0];
      if (!results || failed) throw failed ?? new Error('redis discarded the generation bump');
    },
  };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
