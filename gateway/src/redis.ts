import { once } from 'node:events';
import { Redis } from 'ioredis';

/**
 * A Redis client for the gateway's shared rate limits and cache. Commands fail fast (the gateway lets the
 * request through or skips the cache) instead of queueing while Redis is away; it reconnects by itself.
 * Resolves once connected, or after `readyTimeoutMs` if Redis is not there yet.
 *
 * @example
 * const redis = await connectRedis(process.env.REDIS_URL, { onError: (error) => logger.warn({ err: error }) });
 */
export async function connectRedis(
  url: string,
  options: { readyTimeoutMs?: number; onError?: (error: unknown) => void } = {},
): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 250, connectTimeout: 2_000 });
  // Without a listener ioredis prints every connection error; the caller decides how loud to be.
  redis.on('error', options.onError ?? (() => undefined));
  const timeout = AbortSignal.timeout(options.readyTimeoutMs ?? 2_000);
  await once(redis, 'ready', { signal: timeout }).catch(() => undefined);
  return redis;
}
