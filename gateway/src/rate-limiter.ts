import type { RateLimitPolicy } from './route-table.ts';

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/** Token buckets, one per key (policy and caller): in this process, or shared through Redis. */
export interface RateLimiter {
  /** Takes one token from the bucket of `key` under `policy`; when empty, says how long until one is back. */
  take(key: string, policy: RateLimitPolicy): Promise<RateDecision>;
}

const ALLOWED: RateDecision = { allowed: true };

/**
 * Token buckets in this process's memory: exact and cheap, but each gateway instance counts on its own
 * (use the Redis limiter to hold a limit across instances). At most `maxKeys` buckets are kept; the least
 * recently used go first, and a bucket dropped was nearly always full again anyway.
 *
 * @example
 * const limiter = createMemoryRateLimiter();
 * const decision = await limiter.take('browsing|ip:203.0.113.9', { name: 'browsing', burst: 400, perSecond: 200 });
 */
export function createMemoryRateLimiter(options: { maxKeys?: number; now?: () => number } = {}): RateLimiter {
  const maxKeys = options.maxKeys ?? 100_000;
  const now = options.now ?? (() => performance.now());
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    async take(key, policy) {
      const time = now();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = { tokens: policy.burst, at: time };
        if (buckets.size >= maxKeys) {
          const oldest = buckets.keys().next();
          if (!oldest.done) buckets.delete(oldest.value);
        }
      } else {
        buckets.delete(key);
        bucket.tokens = Math.min(policy.burst, bucket.tokens + ((time - bucket.at) * policy.perSecond) / 1000);
        bucket.at = time;
      }
      // Re-inserted on every use, so the Map's order is least recently used first.
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return ALLOWED;
      }
      return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) * 1000) / policy.perSecond) };
    },
  };
}
