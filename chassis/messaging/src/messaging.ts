import { systemClock, type Clock } from '@talad/core';
import type { Pool, PoolClient, Queryable } from '@talad/pg';
import { createLogger, Registry, type Logger } from '@talad/service';
import { ConsumerGroup, type Subscription } from './consumer-group.ts';
import { createDeadLetterStore, type DeadLetterStore } from './dead-letters.ts';
import { cleanInbox } from './inbox-cleanup.ts';
import { assertServiceName, type AnyMessageDefinition } from './message-definition.ts';
import { createMessagingMetrics } from './metrics.ts';
import { outboxInsertSql, readOutboxBacklog, type OutboxRow } from './outbox.ts';
import { runTransaction } from './transaction.ts';
import { createProducer, type HandlingContext, type Producer } from './producer.ts';
import { createRelay, type Relay, type RelaySettings } from './relay.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.ts';
import type { Consumer, Transport } from './transport.ts';

export interface MessagingOptions {
  /** The service's name: the CloudEvents `source`, the default consumer group, the reply topic. */
  service: string;
  /** The service's own database, holding its outbox, inbox and dead letters (see `migrateMessaging`). */
  pool: Pool;
  transport: Transport;
  logger?: Logger;
  /** The service's Prometheus registry (`app.metricsRegistry`); a private one when omitted. */
  registry?: Registry;
  clock?: Clock;
  /** Most messages one consumer group handles at once in this instance. Defaults to 8. */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  relay?: Partial<RelaySettings>;
  /** How long inbox rows are kept: longer than any redelivery. Defaults to 7 days. */
  inboxRetentionDays?: number;
}

/** A service's messaging: producing through the outbox, consuming through the inbox, dead letters. */
export interface Messaging extends Producer {
  readonly service: string;
  readonly deadLetters: DeadLetterStore;
  readonly relay: Relay;
  readonly registry: Registry;
  /**
   * `withTransaction` on the service's pool for changes and the messages announcing them: the outbox rows
   * go with its COMMIT, and the relay is woken once it committed. (Messages published through another
   * transaction are inserted at once and picked up by the relay's poll.)
   */
  transaction<T>(work: (tx: PoolClient) => Promise<T>): Promise<T>;
  /** Registers handlers; call before `start()`. Subscriptions of one group share one consumer. */
  subscribe<const Definitions extends readonly AnyMessageDefinition[]>(subscription: Subscription<Definitions>): void;
  /** Starts the relay (active or standby) and one consumer per group. */
  start(): Promise<void>;
  /**
   * Graceful stop: consumers take no new messages and finish those in flight (retries waiting on a
   * backoff give up and leave their message to redelivery), then the relay finishes its batch and
   * releases its lock. Does not close the transport, which the caller owns.
   */
  stop(): Promise<void>;
}

const INBOX_CLEANUP_INTERVAL_MS = 10 * 60_000;

/**
 * The composition root of a service's messaging.
 *
 * @example
 * const transport = await createTransport(config.BROKER_URL);
 * const messaging = createMessaging({ service: 'basket', pool, transport, logger, registry: app.metricsRegistry });
 * messaging.subscribe({
 *   messages: [OrderPlaced],
 *   handler: async (message, tx) => {
 *     await tx.query('DELETE FROM basket_lines WHERE customer_id = $1', [message.data.customerId]);
 *     await messaging.publish(tx, BasketCleared, { customerId: message.data.customerId }, { key: message.data.customerId });
 *   },
 * });
 * await messaging.start();
 * registerMessagingAdmin(app, { deadLetters: messaging.deadLetters });
 *
 * // in a request handler: the change and its event commit together
 * await messaging.transaction(async (tx) => {
 *   await tx.query('INSERT INTO baskets ...');
 *   await messaging.publish(tx, BasketCreated, { basketId }, { key: basketId });
 * });
 */
export function createMessaging(options: MessagingOptions): Messaging {
  assertServiceName(options.service);
  const { service, pool, transport } = options;
  const logger = options.logger ?? createLogger({ service });
  const registry = options.registry ?? new Registry();
  const metrics = createMessagingMetrics(registry, { read: () => readOutboxBacklog(pool) });
  const relay = createRelay({ service, pool, transport, metrics, logger, settings: options.relay ?? {} });
  const deadLetters = createDeadLetterStore(pool, { onReplayed: () => relay.wake() });
  const contexts = new WeakMap<Queryable, HandlingContext>();
  const pending = new WeakMap<Queryable, OutboxRow[]>();
  const producer = createProducer({
    service,
    clock: options.clock ?? systemClock,
    contexts,
    pending,
    onCommitted: () => relay.wake(),
  });
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const stopping = new AbortController();
  const groups = new Map<string, ConsumerGroup>();
  const consumers: Consumer[] = [];
  let state: 'new' | 'started' | 'stopped' = 'new';
  let cleanupTimer: NodeJS.Timeout | undefined;

  return {
    service,
    deadLetters,
    relay,
    registry,
    publish: producer.publish,
    send: producer.send,
    reply: producer.reply,

    async transaction(work) {
      const rows: OutboxRow[] = [];
      const result = await runTransaction(
        pool,
        async (tx) => {
          pending.set(tx, rows);
          try {
            return await work(tx);
          } finally {
            pending.delete(tx);
          }
        },
        { beforeCommit: () => outboxInsertSql(rows) },
      );
      if (rows.length > 0) relay.wake();
      return result;
    },

    subscribe(subscription) {
      if (state !== 'new') throw new Error('subscribe() before start(): consumers are fixed once started');
      const name = subscription.group ?? service;
      let group = groups.get(name);
      if (!group) {
        group = new ConsumerGroup({
          service,
          group: name,
          pool,
          metrics,
          logger: logger.child({ group: name }),
          deadLetters,
          contexts,
          pending,
          retry,
          onPublished: () => relay.wake(),
          stopping: stopping.signal,
        });
        groups.set(name, group);
      }
      group.add(subscription as Subscription);
    },

    async start() {
      if (state !== 'new') throw new Error(`messaging of ${service} was already started`);
      state = 'started';
      relay.start();
      for (const group of groups.values()) {
        consumers.push(
          await transport.consume({
            group: group.group,
            topics: group.topics,
            concurrency: options.concurrency ?? 8,
            handle: (delivery) => group.handle(delivery),
          }),
        );
      }
      const retentionDays = options.inboxRetentionDays ?? 7;
      cleanupTimer = setInterval(() => {
        cleanInbox(pool, retentionDays).catch((error: unknown) => logger.warn({ err: error }, 'inbox cleanup failed'));
      }, INBOX_CLEANUP_INTERVAL_MS);
      cleanupTimer.unref();
    },

    async stop() {
      if (state === 'stopped') return;
      state = 'stopped';
      clearInterval(cleanupTimer);
      stopping.abort();
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await relay.stop();
    },
  };
}
