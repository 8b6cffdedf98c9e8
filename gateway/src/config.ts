import { createTokenVerifier } from '@talad/auth';
import { z } from 'zod';
import { createDiscovery, discoveryConfigFromEnv, type DiscoveryConfig } from '@talad/discovery';
import { createTransport } from '@talad/messaging';
import { ConfigError, type Logger, type ServiceConfig } from '@talad/service';
import type { GatewayOptions } from './app.ts';
import { connectRedis } from './redis.ts';
import { compositionTable, routeTable } from './route-table.ts';
import { storefrontContentSecurityPolicy } from './storefront.ts';

const upstreamNames = [
  ...new Set([
    ...routeTable.map((route) => route.upstream),
    ...compositionTable.flatMap((composition) => composition.parts.map((part) => part.upstream)),
  ]),
];
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
  /**
   * Where catalog publishes its product events (`postgres://` message log, `amqp://`, `nats://`): cached
   * answers they make stale are dropped at once. Without it, a cached answer changes only when its TTL ends.
   */
  BROKER_URL: z
    .string()
    .regex(/^(postgres(ql)?|amqps?|nats):\/\//, 'expected postgres://…, amqp://… or nats://…')
    .optional(),
  /** Put before every key the gateway writes in Redis, so deployments sharing a Redis keep apart. */
  REDIS_KEY_PREFIX: z.string().min(1).default('talad:gateway:'),
  /** Comma-separated origins allowed to call the API from a browser, or `*`. */
  CORS_ORIGINS: z.string().default(''),
  /** The card provider the storefront sends cards to (tokenization): written into the page and allowed by the CSP. */
  CARD_PROVIDER_URL: z.url().optional(),
  /** The built storefront served at `/`; the monorepo's web/storefront/dist by default. */
  STOREFRONT_DIR: z.string().min(1).optional(),
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
    security: { hsts: config.HSTS, contentSecurityPolicy: storefrontContentSecurityPolicy(config.CARD_PROVIDER_URL) },
    storefront: {
      ...(config.STOREFRONT_DIR ? { dir: config.STOREFRONT_DIR } : {}),
      ...(config.CARD_PROVIDER_URL ? { cardProviderUrl: config.CARD_PROVIDER_URL } : {}),
    },
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
    compositions: compositionTable.map((composition) => ({
      ...composition,
      ...(config.GATEWAY_RATE_LIMITS === 'off' ? { rateLimit: undefined } : {}),
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
  if (config.GATEWAY_CACHE === 'off') return options;
  if (!config.BROKER_URL) {
    logger.info('no BROKER_URL: cached answers are not invalidated by upstream events, only expired by their TTL');
    return options;
  }
  const transport = await createTransport(config.BROKER_URL, { logger });
  onShutdown(() => transport.close());
  const group = invalidationGroup(config.REDIS_URL !== undefined, config.SERVICE_INSTANCE_ID);
  if (group === 'gateway' && !config.REDIS_URL) {
    logger.warn(
      'cache in memory and no SERVICE_INSTANCE_ID: gateway instances share the consumer group `gateway` and ' +
        'each hears only part of the events; run one instance, set REDIS_URL, or give each a stable SERVICE_INSTANCE_ID',
    );
  }
  options.invalidation = { transport, group };
  return options;
}

/**
 * The consumer group through which this gateway hears of upstream changes.
 *
 * With Redis, the cache and its generations are shared: one instance handling an event invalidates it
 * for all, so every instance joins the one group `gateway` (partitions spread over them, and events
 * that arrive while all are down wait for them: the shared cache outlives the gateways).
 *
 * In memory, each instance holds its own cache and must see every event, so each needs a group of its
 * own. A group is durable state in every transport, so its name must be stable across restarts, never
 * random per process: the PostgreSQL log keeps a position row per group, topic and partition for ever,
 * and holds back the deletion of messages that group has not read until the 7-day maximum retention;
 * RabbitMQ declares a durable quorum queue per group and partition (plus a dead-letter queue) that
 * keeps filling with events once nobody reads it; NATS keeps a durable consumer per group and
 * partition. A random name per start would leave one such set behind at every restart. So the group
 * is named after SERVICE_INSTANCE_ID (talad sets `gateway-1`; a StatefulSet's pod names are stable):
 * a restarted instance takes its own group back, and catches up on what it missed (harmless: it
 * invalidates a cache that is empty after the restart). Without an instance id it falls back to the
 * shared group, which is right for a single instance, and says so at start.
 *
 * @example
 * invalidationGroup(true, 'gateway-7f9c');  // 'gateway'
 * invalidationGroup(false, 'gateway-1');    // 'gateway-cache-gateway-1'
 */
export function invalidationGroup(sharedCache: boolean, instanceId: string | undefined): string {
  if (sharedCache || instanceId === undefined) return 'gateway';
  // Letters, digits, `_` and `-` only: the group becomes part of queue and consumer names.
  return `gateway-cache-${instanceId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
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
