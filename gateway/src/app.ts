import type { Redis } from 'ioredis';
import { createStaticDiscovery, type Discovery } from '@talad/discovery';
import type { Transport } from '@talad/messaging';
import { createServiceApp, type Logger, type ServiceApp } from '@talad/service';
import type { TokenVerifier } from './access.ts';
import { scopeOfAny, startCacheInvalidation, type CacheInvalidationRules } from './cache-invalidation.ts';
import { catalogCacheRules } from './catalog-cache-rules.ts';
import type { CorsOptions } from './cors.ts';
import { registerEdgeHooks } from './edge-hooks.ts';
import { createGatewayMetrics } from './metrics.ts';
import { registerProxyRoutes } from './proxy.ts';
import { createMemoryRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { createRedisCacheStore } from './redis-cache-store.ts';
import { createRedisRateLimiter } from './redis-rate-limiter.ts';
import { createResponseCache, type ResponseCache } from './response-cache.ts';
import { registerCompositions } from './composition.ts';
import {
  compositionTable,
  routeTable,
  upstreamTable,
  type Composition,
  type GatewayRoute,
  type UpstreamPolicy,
} from './route-table.ts';
import type { SecurityHeadersOptions } from './security-headers.ts';
import { registerStorefront, type StorefrontOptions } from './storefront.ts';
import { createUpstream, defaultUpstreamSettings, type Upstream, type UpstreamSettings } from './upstream.ts';

export interface GatewayOptions {
  /** Fixed origins by upstream name (`<NAME>_URL` or `<NAME>_URLS`): `{ catalog: 'http://127.0.0.1:8101' }`. */
  upstreams?: Readonly<Record<string, string | readonly string[]>>;
  /** Where the instances of upstreams not fixed in `upstreams` are found. The caller closes it. */
  discovery?: Discovery;
  routes?: readonly GatewayRoute[];
  /** Answers composed from several services; the table's by default, none when `routes` is given. */
  compositions?: readonly Composition[];
  upstreamPolicies?: Readonly<Record<string, UpstreamPolicy>>;
  /** Breaker, retry budget, ejection and attempt settings for every upstream; defaults otherwise. */
  resilience?: Partial<Omit<UpstreamSettings, 'balancing'>>;
  /** Checks bearer tokens; without one, only public routes can be used. */
  verifier?: TokenVerifier;
  /** Shares rate limits and the cache between gateway instances (unless `rateLimiter`/`cache` are given). */
  redis?: Redis;
  /** Before every key written in Redis; default `talad:gateway:`. */
  redisKeyPrefix?: string;
  rateLimiter?: RateLimiter;
  /** Pass one to keep a handle for `cache.invalidate(prefix)`; give it `scopeOf` for `invalidation` to work. */
  cache?: ResponseCache;
  /**
   * Where upstream events arrive: cached answers they make stale are dropped at once. Without it, cached
   * answers change only when their TTL runs out. The caller closes the transport.
   */
  invalidation?: { transport: Transport; group: string };
  /** Which events make which answers stale; catalog's product events by default. */
  invalidationRules?: readonly CacheInvalidationRules[];
  cors?: CorsOptions;
  security?: SecurityHeadersOptions;
  /** Largest request body on routes that set none. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Serves the built storefront at `/` (with the SPA fallback); no web pages without it. */
  storefront?: StorefrontOptions;
  logger?: Logger;
}

/** The API gateway: the only public entry to Talad. Builds without listening. */
export async function buildGatewayApp(options: GatewayOptions): Promise<ServiceApp> {
  const app = await createServiceApp({
    name: 'gateway',
    description: 'The public entry to Talad: routes /api/<service>/* to each service.',
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const metrics = createGatewayMetrics(app.metricsRegistry);
  const routes = options.routes ?? routeTable;
  const compositions = options.compositions ?? (options.routes ? [] : compositionTable);
  const now = (): number => performance.now();

  const fixed = Object.fromEntries(
    Object.entries(options.upstreams ?? {}).map(([name, origins]) => [
      name,
      typeof origins === 'string' ? [origins] : origins,
    ]),
  );
  const fixedDiscovery = createStaticDiscovery({ services: fixed });
  const upstreams = new Map<string, Upstream>();
  const upstreamNames = [
    ...routes.map((route) => route.upstream),
    ...compositions.flatMap((composition) => composition.parts.map((part) => part.upstream)),
  ];
  for (const name of new Set(upstreamNames)) {
    const source = name in fixed ? fixedDiscovery : options.discovery;
    if (!source) {
      app.log.warn({ upstream: name }, `no address for ${name} (nor a registry): its routes answer 503`);
    }
    const settings: UpstreamSettings = {
      ...defaultUpstreamSettings,
      ...options.resilience,
      ...(options.upstreamPolicies ?? upstreamTable)[name],
    };
    upstreams.set(name, createUpstream(name, source ?? fixedDiscovery, settings, { metrics, logger: app.log, now }));
  }
  app.addHook('onClose', async () => {
    await Promise.all([...upstreams.values()].map((upstream) => upstream.close()));
  });
  // Discovery's first answer, so the first requests do not find an empty upstream.
  await Promise.race([
    Promise.all([...upstreams.values()].map((upstream) => upstream.ready)),
    new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
  ]);

  const redisError = (component: string) => {
    let lastLogged = 0;
    return (error: unknown): void => {
      metrics.redisErrors.inc({ component });
      if (Date.now() - lastLogged < 10_000) return;
      lastLogged = Date.now();
      app.log.warn({ err: error, component }, 'redis call failed; going on without it');
    };
  };
  const { redis } = options;
  const keyPrefix = options.redisKeyPrefix ?? 'talad:gateway:';
  const invalidationRules = options.invalidationRules ?? [catalogCacheRules()];
  const cache =
    options.cache ??
    createResponseCache({
      scopeOf: scopeOfAny(invalidationRules),
      ...(redis
        ? { store: createRedisCacheStore({ redis, keyPrefix: `${keyPrefix}cache:` }), onError: redisError('cache') }
        : {}),
    });
  const { invalidation } = options;
  if (invalidation) {
    // Started once the app is ready and stopped before it closes, like a service's consumers.
    let running: { stop(): Promise<void> } | undefined;
    app.addHook('onReady', async () => {
      running = startCacheInvalidation({
        ...invalidation,
        cache,
        rules: invalidationRules,
        logger: app.log,
        onInvalidated: (upstream) => metrics.cacheInvalidations.inc({ upstream }),
      });
    });
    app.addHook('onClose', async () => running?.stop());
  }
  registerEdgeHooks(app, { cors: options.cors ?? { allowedOrigins: [] }, security: options.security ?? {} });
  const rateLimiter =
    options.rateLimiter ??
    (redis
      ? createRedisRateLimiter({ redis, keyPrefix: `${keyPrefix}rate:`, onError: redisError('rate-limit') })
      : createMemoryRateLimiter());
  registerCompositions(app, compositions, { upstreams, verifier: options.verifier, rateLimiter, metrics, now });
  registerProxyRoutes(app, routes, {
    upstreams,
    verifier: options.verifier,
    rateLimiter,
    cache,
    metrics,
    bodyLimitBytes: options.bodyLimitBytes ?? 1_048_576,
    now,
  });
  if (options.storefront) registerStorefront(app, options.storefront);
  return app;
}
