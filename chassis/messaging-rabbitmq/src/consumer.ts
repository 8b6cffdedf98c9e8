import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { ConsumeOptions, Consumer } from '@talad/messaging';
import { backoffMs, delay, type Backoff } from './backoff.ts';
import { closeQuietly } from './close-quietly.ts';
import type { BrokerConnection } from './connection.ts';
import type { TransportLogger } from './logger.ts';
import { decodeMessage, deliveryAttemptOf } from './message-codec.ts';
import { createSemaphore } from './semaphore.ts';
import { checkGroup, declareGroupTopology, type TopologyNames } from './topology.ts';

export interface ConsumerSettings {
  readonly connection: BrokerConnection;
  readonly names: TopologyNames;
  readonly partitions: number;
  readonly deliveryLimit: number;
  /** Wait before handing a failed message back, so a failing handler does not spin. */
  readonly retryDelayMs: number;
  readonly backoff: Backoff;
  readonly logger: TransportLogger;
}

/** One channel's consumers, one per partition queue; replaced whole after a channel or connection loss. */
interface Subscription {
  readonly channel: Channel;
  /** The channel is open: acks and nacks on it still count. */
  open: boolean;
  /** Still the consumer's current subscription: deliveries on it may start. */
  active: boolean;
}

/**
 * Subscribes a consumer group to every partition queue of `topics`, one channel for all of them with
 * a prefetch of one per queue: a partition's next message arrives only once the previous one is
 * acknowledged, so each partition is handled one message at a time, in order, while up to
 * `concurrency` partitions run at once. After a lost channel or connection it subscribes again, once
 * the handlers still running have finished.
 *
 * @example
 * const consumer = await startConsumer(
 *   { group: 'inventory', topics: ['ordering.events'], concurrency: 8, handle },
 *   settings,
 * );
 * await consumer.stop();
 */
export async function startConsumer(options: ConsumeOptions, settings: ConsumerSettings): Promise<Consumer> {
  const { connection, names, logger } = settings;
  const group = checkGroup(options.group);
  if (options.topics.length === 0) throw new Error('a consumer needs at least one topic');
  const slots = createSemaphore(options.concurrency);
  const inFlight = new Set<Promise<void>>();
  const stopped = new AbortController();
  let subscription: Subscription | undefined;
  let recovering: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  const track = (work: Promise<void>): void => {
    const task: Promise<void> = work
      .catch((error: unknown) => logger.error({ err: error, group }, 'RabbitMQ delivery failed unexpectedly'))
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };

  const drainInFlight = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };

  /** Acknowledges on the channel the message came from; after that channel died, the broker requeued it. */
  const settle = (sub: Subscription, action: (channel: Channel) => void): void => {
    if (!sub.open) return;
    try {
      action(sub.channel);
    } catch (error) {
      logger.warn({ err: error, group }, 'cannot settle a RabbitMQ delivery; the broker will redeliver it');
    }
  };

  const handleDelivery = async (
    sub: Subscription,
    topic: string,
    partition: number,
    raw: ConsumeMessage,
  ): Promise<void> => {
    const message = decodeMessage(raw, topic);
    if (!message) {
      logger.error(
        { group, topic, partition, messageId: raw.properties.messageId as unknown },
        'message without an id or a key header; dead-lettering it',
      );
      settle(sub, (channel) => channel.reject(raw, false));
      return;
    }
    const deliveryAttempt = deliveryAttemptOf(raw);
    const release = await slots.acquire();
    let failure: { error: unknown } | undefined;
    try {
      // Stopping or replaced: leave it unacknowledged, closing the channel hands it back in order.
      if (!sub.active) return;
      try {
        await options.handle({ message, partition, deliveryAttempt });
      } catch (error) {
        failure = { error };
      }
    } finally {
      release();
    }
    if (!failure) {
      settle(sub, (channel) => channel.ack(raw));
      return;
    }
    logger.warn(
      { err: failure.error, group, topic, partition, messageId: message.id, deliveryAttempt },
      deliveryAttempt > settings.deliveryLimit
        ? 'handler failed on the last delivery; the message goes to the dead-letter queue'
        : 'handler failed; the message will be redelivered',
    );
    // Holding the message unacknowledged meanwhile keeps the rest of its partition behind it.
    await delay(settings.retryDelayMs);
    settle(sub, (channel) => channel.nack(raw, false, true));
  };

  const subscribe = async (model: ChannelModel): Promise<void> => {
    const setup = await model.createChannel();
    setup.on('error', (error: Error) => logger.warn({ err: error, group }, 'RabbitMQ refused a declaration'));
    try {
      await declareGroupTopology(setup, {
        names,
        group,
        topics: options.topics,
        partitions: settings.partitions,
        deliveryLimit: settings.deliveryLimit,
      });
    } finally {
      await closeQuietly(setup);
    }

    const channel = await model.createChannel();
    const sub: Subscription = { channel, open: true, active: true };
    channel.on('error', (error: Error) => logger.warn({ err: error, group }, 'RabbitMQ consumer channel error'));
    channel.on('close', () => {
      sub.open = false;
      if (subscription === sub) recover('channel closed');
    });
    try {
      // Per consumer, not per channel: quorum queues do not support a channel-wide (global) prefetch.
      await channel.prefetch(1);
      for (const topic of options.topics) {
        for (let partition = 0; partition < settings.partitions; partition++) {
          await channel.consume(
            names.partitionQueue(group, topic, partition),
            (raw) => {
              if (raw) track(handleDelivery(sub, topic, partition, raw));
              else if (subscription === sub) recover(`the broker cancelled the consumer of partition ${partition}`);
            },
            { noAck: false },
          );
        }
      }
    } catch (error) {
      sub.active = false;
      await closeQuietly(channel);
      throw error;
    }
    // Set only now, so a channel that fails while subscribing is not recovered as well as rejected. A
    // close after the last consume-ok arrives in a later event, when this assignment has been made.
    subscription = sub;
  };

  const recover = (reason: string): void => {
    if (recovering || stopping) return;
    const lost = subscription;
    subscription = undefined;
    if (lost) lost.active = false;
    logger.warn({ group, reason }, 'RabbitMQ consumer lost; subscribing again');
    recovering = (async () => {
      // Handlers of the lost subscription finish first, so a partition never runs two messages at once here.
      await drainInFlight();
      if (lost?.open) await closeQuietly(lost.channel);
      const gaveUp = AbortSignal.any([stopped.signal, connection.closed]);
      const givenUp = (): boolean => gaveUp.aborted;
      for (let attempt = 0; !givenUp(); attempt++) {
        try {
          await subscribe(await connection.whenConnected(stopped.signal));
          logger.info({ group }, 'RabbitMQ consumer subscribed again');
          return;
        } catch (error) {
          if (givenUp()) return;
          logger.warn({ err: error, group }, 'cannot subscribe again yet; retrying');
          await delay(backoffMs(attempt, settings.backoff), gaveUp);
        }
      }
    })().finally(() => {
      recovering = undefined;
    });
  };

  await subscribe(await connection.current());

  return {
    stop() {
      stopping ??= (async () => {
        stopped.abort();
        await recovering;
        // No basic.cancel: with a single active consumer, cancelling would hand the partition to a
        // standby while our last message is still being handled. Closing after the acks is atomic.
        if (subscription) subscription.active = false;
        await drainInFlight();
        const last = subscription;
        subscription = undefined;
        if (last?.open) await closeQuietly(last.channel);
      })();
      return stopping;
    },
  };
}
