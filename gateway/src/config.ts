import { createTokenVerifier } from '@talad/auth';
import { z } from 'zod';
import { createDiscovery, discoveryConfigFromEnv, type DiscoveryConfig } from '@talad/discovery';
import { ConfigError, type Logger, type ServiceConfig } from '@talad/service';
import type { GatewayOptions } from './app.ts';
import { connectRedis } from './redis.ts';
import { routeTable } from './route-table.ts';

const upstreamNames = [...new Set(routeTable.map((route) => route.upstream))];
const onOff = z.enum(['on', 'off']).default('on');

/**
 * The gateway's environment. Each upstream of the route table is found through `<NAME>_URL` (one
 * origin), `<NAME>_URLS` (a comma-separated list) or, for those with neither, the registry at
 * `DISCOVERY_URL`. An upstream found nowhere is logged at start and its routes answer 503, as for a
 * service with no instance running.
 */
export const gatewayConfig = {
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  /** `postgres://…` (the PostgreSQL registry) or `dns://{name}.<domain>:<port>` (Kubernetes). */
  DISCOVERY_URL: z
    .string()
    .regex(/^(postgres(ql)?|dns):\/\//, 'expected postgres://… or dns://…')
    .optional(),
  /** Rate limits and cache shared by every gateway instance; in memory, per instance, without it. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected redis://…')
    .optional(),
  /** Put before every key the gateway writes in Redis, so deployments sharing a Redis keep apart. */
  REDIS_KEY_PREFIX: z.string().min(1).default('talad:gateway:'),
  /** Comma-separated origins allowed to call the API from a browser, or `*`. */
  CORS_ORIGINS: z.string().default(''),
  /** `true` only when clients reach the gateway over HTTPS (TLS terminated in front of it). */
  HSTS: z.stringbool().default(false),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  /** Where identity publishes its keys, and what tokens must name; without JWKS_URL every protected route is closed. */
  JWKS_URL: z.url().optional(),
  ISSUER: z.string().min(1).optional(),
  AUDIENCE: z.string().min(1).default('talad'),
  /** Switch the route table's rate limits or caching off, e.g. to measure the bare proxy. */
  GATEWAY_RATE_LIMITS: onOff,
  GATEWAY_CACHE: onOff,
};

/** Connects what the configuration names (registry, Redis) and turns it into the app's options. */
export async function gatewayOptionsFrom(
  config: ServiceConfig<typeof gatewayConfig>,
  logger: Logger,
  onShutdown: (cleanup: () => Promise<void> | void) => void,
): Promise<GatewayOptions> {
  const discoveryConfig = upstreamsFromEnv();
  const fixed = discoveryConfig.kind === 'static' ? discoveryConfig.services : (discoveryConfig.static ?? {});
  const options: GatewayOptions = {
    upstreams: fixed,
    cors: { allowedOrigins: originsOf(config.CORS_ORIGINS) },
    security: { hsts: config.HSTS },
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    ...(config.JWKS_URL && config.ISSUER
      ? {
          verifier: createTokenVerifier({ jwksUrl: config.JWKS_URL, issuer: config.ISSUER, audience: config.AUDIENCE }),
        }
      : {}),
    routes: routeTable.map((route) => ({
      ...route,
      ...(config.GATEWAY_RATE_LIMITS === 'off' ? { rateLimit: undefined } : {}),
      ...(config.GATEWAY_CACHE === 'off' ? { cache: undefined } : {}),
    })),
    logger,
  };
  if (discoveryConfig.kind !== 'static' && upstreamNames.some((name) => !(name in fixed))) {
    const discovery = createDiscovery({
      ...discoveryConfig,
      onError: (error) => logger.warn({ err: error }, 'discovery'),
    });
    onShutdown(() => discovery.close());
    options.discovery = discovery;
  }
  if (config.REDIS_URL) {
    const redis = await connectRedis(config.REDIS_URL);
    onShutdown(async () => {
      await redis.quit();
    });
    options.redis = redis;
    options.redisKeyPrefix = config.REDIS_KEY_PREFIX;
  }
  return options;
}

function upstreamsFromEnv(): DiscoveryConfig {
  try {
    return discoveryConfigFromEnv(upstreamNames);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
}

function originsOf(setting: string): readonly string[] | '*' {
  if (setting.trim() === '*') return '*';
  return setting
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}
