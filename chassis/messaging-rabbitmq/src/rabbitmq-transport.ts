import { hostname } from 'node:os';
import {
  DEFAULT_PARTITIONS,
  type Consumer,
  type Transport,
  silentTransportLogger,
  type TransportLogger,
} from '@talad/messaging';
import { openBrokerConnection } from './connection.ts';
import { startConsumer } from './consumer.ts';
import { createPublisher } from './publisher.ts';
import { DEFAULT_DELIVERY_LIMIT, DEFAULT_NAME_PREFIX, topologyNames } from './topology.ts';

export interface RabbitMqTransportOptions {
  /** `amqp://user:password@host:5672/vhost`; a `heartbeat` query parameter overrides the 10 s default. */
  readonly url: string;
  /** Partitions per topic: the same on every instance, and fixed once queues exist. */
  readonly partitions?: number;
  readonly logger?: TransportLogger;
  /** Prefix of every exchange and queue name (`talad`); tests use a unique one per run. */
  readonly namePrefix?: string;
  /**
   * Deliveries a message may fail before it is dead-lettered (20). Part of the queue arguments:
   * every instance must use the same value, and changing it means recreating the queues.
   */
  readonly deliveryLimit?: number;
  /** Wait before a failed message is handed back for redelivery (200 ms). */
  readonly retryDelayMs?: number;
  /**
   * Messages the broker may send a partition ahead of the one being handled (32): they are handled one at
   * a time, in order, but need no round trip to the broker in between. Messages handed back (a rejected
   * message and those behind it, or a crashed instance's) count a delivery each against `deliveryLimit`.
   */
  readonly prefetch?: number;
  /** How often an instance counts its group's instances and takes or gives up partitions (1 s). */
  readonly rebalanceIntervalMs?: number;
  /** How long `publish` waits for the broker's confirms before giving up (30 s). */
  readonly confirmTimeoutMs?: number;
  /** Shown in the broker's connection list (`<prefix>@<host>:<pid>`). */
  readonly connectionName?: string;
}

const PING_TIMEOUT_MS = 5_000;
const RESUBSCRIBE_BACKOFF = { initialDelayMs: 200, maxDelayMs: 5_000 };

/**
 * The message transport over RabbitMQ: a durable direct exchange per topic routed by partition, a
 * durable quorum queue per consumer group, topic and partition (single active consumer, a delivery limit,
 * a dead-letter queue per group); persistent messages with publisher confirms. A group's instances share
 * its partitions: each owns about partitions / instances of them, by an exclusive owner queue the broker
 * drops with the owner's connection (consumer.ts), and reads its own with a prefetch, handling each
 * partition's messages one at a time in order. It connects at once, and reconnects (and takes its
 * partitions again) by itself after an outage.
 *
 * @example
 * const transport = createRabbitMqTransport({ url: 'amqp://guest:guest@127.0.0.1:5672', logger });
 * await transport.publish([{ id, topic: 'ordering.events', key: orderId, body }]);
 * const consumer = await transport.consume({
 *   group: 'inventory',
 *   topics: ['ordering.events'],
 *   concurrency: 8,
 *   handle: async ({ message }) => applyEvent(message),
 * });
 * await transport.close();
 */
export function createRabbitMqTransport(options: RabbitMqTransportOptions): Transport {
  const partitions = options.partitions ?? DEFAULT_PARTITIONS;
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer`);
  const deliveryLimit = options.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT;
  if (!Number.isInteger(deliveryLimit) || deliveryLimit < 0) {
    throw new RangeError('deliveryLimit must be a non-negative integer');
  }
  const logger = options.logger ?? silentTransportLogger;
  const names = topologyNames(options.namePrefix ?? DEFAULT_NAME_PREFIX);
  const connection = openBrokerConnection({
    url: options.url,
    name: options.connectionName ?? `${names.prefix}@${hostname()}:${process.pid}`,
    logger,
  });
  const publisher = createPublisher({
    connection,
    names,
    partitions,
    confirmTimeoutMs: options.confirmTimeoutMs ?? 30_000,
    logger,
  });
  const consumers = new Set<Consumer>();
  let closing: Promise<void> | undefined;
  const isClosing = (): boolean => closing !== undefined;

  return {
    kind: 'rabbitmq',
    partitions,
    publish: (messages) => publisher.publish(messages),
    async consume(consumeOptions) {
      if (isClosing()) throw new Error('RabbitMQ transport is closed');
      const consumer = await startConsumer(consumeOptions, {
        connection,
        names,
        partitions,
        deliveryLimit,
        retryDelayMs: options.retryDelayMs ?? 200,
        prefetch: options.prefetch ?? 32,
        rebalanceIntervalMs: options.rebalanceIntervalMs ?? 1_000,
        backoff: RESUBSCRIBE_BACKOFF,
        logger,
      });
      if (isClosing()) {
        await consumer.stop();
        throw new Error('RabbitMQ transport is closed');
      }
      const tracked: Consumer = {
        stop: async () => {
          await consumer.stop();
          consumers.delete(tracked);
        },
      };
      consumers.add(tracked);
      return tracked;
    },
    ping: () => publisher.ping(PING_TIMEOUT_MS),
    close() {
      closing ??= (async () => {
        await Promise.all([...consumers].map((consumer) => consumer.stop()));
        await publisher.close();
        await connection.close();
      })();
      return closing;
    },
  };
}
