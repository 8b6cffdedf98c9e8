import type { Redis } from 'ioredis';
import type { RateDecision, RateLimiter } from './rate-limiter.ts';
import { defineRedisScript } from './redis-script.ts';

// One script, so reading, refilling and taking a token is atomic however many gateways share the bucket.
// Redis's own clock is used, so gateway clocks that disagree cannot mint tokens.
const TAKE_TOKEN = defineRedisScript(`
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local retry_after = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  retry_after = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return retry_after
`);

const ALLOWED: RateDecision = { allowed: true };

/**
 * Token buckets in Redis, shared by every gateway instance, so a limit holds however many run. When Redis
 * fails the request is let through (a limit is protection, not a reason to refuse everyone) and
 * `onError` is told.
 *
 * @example
 * const limiter = createRedisRateLimiter({ redis, keyPrefix: 'talad:gateway:rate:' });
 */
export function createRedisRateLimiter(options: {
  redis: Redis;
  keyPrefix?: string;
  onError?: (error: unknown) => void;
}): RateLimiter {
  const prefix = options.keyPrefix ?? 'talad:gateway:rate:';
  return {
    async take(key, policy) {
      try {
        // Not connected: fail at once rather than make the request wait for a reconnection.
        if (options.redis.status !== 'ready') throw new Error(`redis is ${options.redis.status}`);
        const retryAfterMs = Number(
          await TAKE_TOKEN.run(options.redis, [prefix + key], [policy.burst, policy.perSecond]),
        );
        return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : ALLOWED;
      } catch (error) {
        options.onError?.(error);
        return ALLOWED;
      }
    },
  };
}
