import { decodeEnvelope, type Consumer, type Envelope, type Transport } from '@talad/messaging';
import type { FastifyBaseLogger } from 'fastify';
import type { CacheScopeOf, ResponseCache } from './response-cache.ts';

/** What the gateway learns from one upstream's events: which of its cached answers a message makes stale. */
export interface CacheInvalidationRules {
  readonly upstream: string;
  /** The topics that carry the upstream's changes. */
  readonly topics: readonly string[];
  /** The scope answers to a public URL are filed under; undefined for URLs of other upstreams. */
  readonly scopeOf: CacheScopeOf;
  /** The scopes a message makes stale; none for a message that changes nothing cached. */
  staleScopes(envelope: Envelope): readonly string[];
}

/** The scope of a URL by the first set of rules that knows it. */
export function scopeOfAny(rules: readonly CacheInvalidationRules[]): CacheScopeOf {
  return (url) => {
    for (const rule of rules) {
      const scope = rule.scopeOf(url);
      if (scope !== undefined) return scope;
    }
    return undefined;
  };
}

export interface CacheInvalidationOptions {
  transport: Transport;
  /** The consumer group; see `invalidationGroup` for why it depends on the cache store. */
  group: string;
  cache: ResponseCache;
  rules: readonly CacheInvalidationRules[];
  logger: FastifyBaseLogger;
  /** Told of every message that made something stale, with the upstream it came from. */
  onInvalidated?: (upstream: string) => void;
  /** Pause before trying again to subscribe while the broker cannot be reached; doubles up to 30 s. */
  retryDelayMs?: number;
}

export interface CacheInvalidation {
  /** Stops listening: in-flight messages finish, the broker keeps the group's position. */
  stop(): Promise<void>;
}

/**
 * Listens to the upstreams' events and drops the cached answers each one makes stale. It uses the
 * transport directly, with no inbox: the gateway has no database, and invalidating twice does no harm,
 * so a redelivered message needs no deduplication. A message is acknowledged once its invalidation is
 * stored; when the store cannot be reached (Redis down) it is redelivered later, and the entries it
 * would have dropped still expire with their TTL. Subscribing is retried in the background while the
 * broker is away: the gateway serves meanwhile, with TTL expiry only.
 *
 * @example
 * const invalidation = startCacheInvalidation({ transport, group: 'gateway', cache, rules: [catalogCacheRules()], logger });
 * onShutdown(() => invalidation.stop());
 */
export function startCacheInvalidation(options: CacheInvalidationOptions): CacheInvalidation {
  const { transport, group, cache, rules, logger } = options;
  const topics = [...new Set(rules.flatMap((rule) => rule.topics))];
  const stopping = new AbortController();
  let consumer: Consumer | undefined;
  // A function, so the compiler does not assume the signal unchanged across an await.
  const isStopping = (): boolean => stopping.signal.aborted;

  const subscribe = (): Promise<Consumer> =>
    transport.consume({
      group,
      topics,
      concurrency: 8,
      handle: async ({ message }) => {
        const decoded = decodeEnvelope(message.body);
        if (!decoded.ok) {
          // Nothing to name as stale: left to the TTL rather than blocking the partition.
          logger.warn({ topic: message.topic, messageId: message.id, reason: decoded.reason }, 'unreadable event');
          return;
        }
        for (const rule of rules) {
          if (!rule.topics.includes(message.topic)) continue;
          const scopes = rule.staleScopes(decoded.envelope);
          if (scopes.length === 0) continue;
          await cache.invalidateScopes(scopes);
          options.onInvalidated?.(rule.upstream);
          logger.debug({ type: decoded.envelope.type, scopes }, 'cached answers invalidated');
        }
      },
    });

  const started = (async () => {
    let delayMs = options.retryDelayMs ?? 1_000;
    while (!stopping.signal.aborted) {
      try {
        const subscribed = await subscribe();
        if (isStopping()) return await subscribed.stop();
        consumer = subscribed;
        logger.info({ group, topics }, 'cache invalidation listening to upstream events');
        return;
      } catch (error) {
        logger.warn({ err: error, group, retryInMs: delayMs }, 'cannot subscribe to upstream events yet; TTL only');
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          stopping.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve(undefined);
          });
        });
        delayMs = Math.min(delayMs * 2, 30_000);
      }
    }
  })();

  return {
    async stop() {
      stopping.abort();
      await started;
      await consumer?.stop();
    },
  };
}
