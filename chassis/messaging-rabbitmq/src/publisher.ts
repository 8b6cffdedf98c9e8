import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { partitionOf, type TransportMessage, type TransportLogger } from '@talad/messaging';
import { closeQuietly } from './close-quietly.ts';
import type { BrokerConnection } from './connection.ts';
import { encodeMessage } from './message-codec.ts';
import { withTimeout } from './with-timeout.ts';
import { declareTopicExchange, type TopologyNames } from './topology.ts';

export interface Publisher {
  publish(messages: readonly TransportMessage[]): Promise<void>;
  /** Resolves when the broker answers a round trip on the publishing channel. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

interface PublishingChannel {
  readonly model: ChannelModel;
  readonly channel: Promise<ConfirmChannel>;
  /** Exchanges already declared on this channel's connection, by topic. */
  readonly exchanges: Map<string, Promise<void>>;
}

/**
 * Publishes through one confirm channel per connection, so every batch keeps its array order and the
 * broker confirms each message only once it is persisted in every queue it was routed to.
 */
export function createPublisher(options: {
  connection: BrokerConnection;
  names: TopologyNames;
  partitions: number;
  confirmTimeoutMs: number;
  logger: TransportLogger;
}): Publisher {
  const { connection, names, partitions, logger } = options;
  let current: PublishingChannel | undefined;

  const channelOn = (model: ChannelModel): PublishingChannel => {
    if (current?.model === model) return current;
    const state: PublishingChannel = {
      model,
      exchanges: new Map(),
      channel: model.createConfirmChannel().then((channel) => {
        channel.on('error', (error: Error) => logger.warn({ err: error }, 'RabbitMQ publishing channel error'));
        channel.on('close', () => {
          if (current === state) current = undefined;
        });
        return channel;
      }),
    };
    state.channel.catch(() => {
      if (current === state) current = undefined;
    });
    current = state;
    return state;
  };

  const declareExchange = (state: PublishingChannel, channel: ConfirmChannel, topic: string): Promise<void> => {
    let declared = state.exchanges.get(topic);
    if (!declared) {
      declared = declareTopicExchange(channel, names, topic);
      declared.catch(() => state.exchanges.delete(topic));
      state.exchanges.set(topic, declared);
    }
    return declared;
  };

  return {
    async publish(messages) {
      if (messages.length === 0) return;
      const state = channelOn(await connection.current());
      const channel = await state.channel;
      for (const topic of new Set(messages.map((message) => message.topic))) {
        await declareExchange(state, channel, topic);
      }
      const confirms: Array<Promise<void>> = [];
      for (const message of messages) {
        const confirmed = publishOne(channel, message);
        confirms.push(confirmed.promise);
        if (!confirmed.written) await drained(channel);
      }
      await withTimeout(
        Promise.all(confirms),
        options.confirmTimeoutMs,
        'RabbitMQ did not confirm the messages in time',
      );
    },

    async ping(timeoutMs) {
      const roundTrip = async (): Promise<void> => {
        const channel = await channelOn(await connection.current()).channel;
        // A passive declare of an exchange every broker has: a round trip that changes nothing.
        await channel.checkExchange('amq.direct');
      };
      await withTimeout(roundTrip(), timeoutMs, 'RabbitMQ did not answer in time');
    },

    async close() {
      const state = current;
      current = undefined;
      const channel = await state?.channel.catch(() => undefined);
      if (channel) await closeQuietly(channel);
    },
  };

  function publishOne(
    channel: ConfirmChannel,
    message: TransportMessage,
  ): { promise: Promise<void>; written: boolean } {
    const { content, properties } = encodeMessage(message);
    let settle: (error: unknown) => void = () => undefined;
    const promise = new Promise<void>((resolve, reject) => {
      settle = (error) => {
        if (error === null || error === undefined) resolve();
        else reject(new Error(`RabbitMQ did not confirm message ${message.id}`, { cause: error }));
      };
    });
    // Awaited through Promise.all; an early failure must not leave the others unhandled.
    promise.catch(() => undefined);
    // Throws at once if the channel is already closed: the batch then rejects, nothing assumed sent.
    const written = channel.publish(
      names.topicExchange(message.topic),
      String(partitionOf(message.key, partitions)),
      content,
      properties,
      (error: unknown) => settle(error),
    );
    return { promise, written };
  }
}

/** The channel's write buffer is full: wait until it drains (or the channel dies, failing the confirms). */
function drained(channel: ConfirmChannel): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      channel.off('drain', done);
      channel.off('close', done);
      resolve();
    };
    channel.on('drain', done);
    channel.on('close', done);
  });
}
