export { buildGatewayApp, type GatewayOptions } from './app.ts';
export {
  routeTable,
  upstreamTable,
  type GatewayRoute,
  type Access,
  type RateLimitPolicy,
  type CachePolicy,
  type UpstreamPolicy,
} from './route-table.ts';
export { GatewayErrorCode } from './error-codes.ts';
export type { Caller, TokenVerifier } from './access.ts';
export { createResponseCache, type ResponseCache } from './response-cache.ts';
export { createMemoryCacheStore } from './memory-cache-store.ts';
export { createRedisCacheStore } from './redis-cache-store.ts';
export type { CacheStore, CachedResponse } from './cache-store.ts';
export { createMemoryRateLimiter, type RateLimiter, type RateDecision } from './rate-limiter.ts';
export { createRedisRateLimiter } from './redis-rate-limiter.ts';
export { connectRedis } from './redis.ts';
export type { CorsOptions } from './cors.ts';
export type { SecurityHeadersOptions } from './security-headers.ts';
