import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import {
  backoffDelay,
  Signal,
  sleep,
  type ConsumeOptions,
  type Semaphore,
  type TransportLogger,
} from '@talad/messaging';
import { closeQuietly } from './close-quietly.ts';
import { decodeMessage, deliveryAttemptOf } from './message-codec.ts';

export interface PartitionContext {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly queue: string;
  /** Messages the broker may hand this partition ahead of the one being handled. */
  readonly prefetch: number;
  /** First pause before a rejected message is handed to `handle` again; it doubles up to 5 s. */
  readonly retryDelayMs: number;
  readonly deliveryLimit: number;
  readonly handle: ConsumeOptions['handle'];
  /** The consumer's `concurrency`, shared by all its partitions. */
  readonly slots: Semaphore;
  readonly logger: TransportLogger;
}

/** Most handled messages one acknowledgement covers. */
const ACKNOWLEDGE_EVERY = 16;

/**
 * Reads one partition queue that this instance owns, on a channel of its own. The broker may send up to
 * `prefetch` messages ahead; they are handled one at a time, in order, and acknowledged only once `handle`
 * resolved (one ack for a run of them), so no round trip to the broker stands between one message and the
 * next. A crash before the ack redelivers a handled message, which the inbox drops. A rejected message is
 * handed to `handle` again here, after a growing pause, before anything later (the consumer runtime above
 * has already retried it; a rejection means its dead-letter store is out of reach, or it is stopping):
 * handing it back to the broker would also count a delivery against every message behind it. Past the
 * delivery limit it is rejected to the group's dead-letter queue.
 *
 * `stop()` lets the message being handled finish and closes the channel: the broker puts back what had
 * arrived unhandled, in order, ahead of the rest of the queue.
 */
export class PartitionConsumer {
  readonly context: PartitionContext;
  readonly #model: ChannelModel;
  readonly #arrived: ConsumeMessage[] = [];
  readonly #wake = new Signal();
  readonly #stopping = new AbortController();
  #channel: Channel | undefined;
  /** `#channel` is open: messages that arrived on it may be handled and settled. */
  #open = false;
  #lost = false;
  #busy = false;
  /** The last message handled and not yet acknowledged, and how many are behind it (one ack covers them). */
  #handled: ConsumeMessage | undefined;
  #handledCount = 0;
  #ended: Promise<void> = Promise.resolve();

  private constructor(model: ChannelModel, context: PartitionContext) {
    this.#model = model;
    this.context = context;
  }

  /** Subscribes; rejects if the subscription fails (no handler has run then). */
  static async start(model: ChannelModel, context: PartitionContext): Promise<PartitionConsumer> {
    const consumer = new PartitionConsumer(model, context);
    await consumer.#subscribe();
    consumer.#ended = consumer.#run();
    return consumer;
  }

  /** Resolves once the channel is gone for good and no handler of this partition runs any more. */
  get ended(): Promise<void> {
    return this.#ended;
  }

  /** Whether a message of this partition is being handled now. */
  get busy(): boolean {
    return this.#busy;
  }

  /** Whether the channel was lost outside `stop()` (with the connection, or refused by the broker). */
  get lost(): boolean {
    return this.#lost;
  }

  /**
   * Handles no more messages, lets the one being handled finish, acknowledges, then closes the channel.
   * No basic.cancel first: the queue would then activate the next consumer (single active consumer) while
   * the messages that arrived here unhandled are still out, and that consumer could get later messages
   * before them. Closing the channel hands them back and lets the next consumer in, in one step.
   */
  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#wake.notify();
    await this.ended;
  }

  async #subscribe(): Promise<void> {
    const { queue, prefetch, logger, group, topic, partition } = this.context;
    const channel = await this.#model.createChannel();
    channel.on('error', (error: Error) =>
      logger.warn({ err: error, group, topic, partition }, 'RabbitMQ partition channel error'),
    );
    channel.on('close', () => {
      if (this.#channel !== channel) return;
      this.#open = false;
      // The broker has put back whatever arrived unacknowledged; none of it may be handled here now.
      this.#arrived.length = 0;
      this.#wake.notify();
    });
    this.#channel = channel;
    this.#open = true;
    try {
      await channel.prefetch(prefetch);
      await channel.consume(
        queue,
        (raw) => {
          if (this.#channel !== channel) return;
          if (raw) this.#arrived.push(raw);
          // Cancelled by the broker (the queue was deleted): treated as a lost channel.
          else void closeQuietly(channel);
          this.#wake.notify();
        },
        { noAck: false },
      );
    } catch (error) {
      this.#open = false;
      await closeQuietly(channel);
      throw error;
    }
  }

  async #run(): Promise<void> {
    for (;;) {
      const raw = this.#stopping.signal.aborted ? undefined : this.#arrived.shift();
      if (raw) {
        this.#busy = true;
        try {
          await this.#deliver(raw);
        } finally {
          this.#busy = false;
        }
        continue;
      }
      if (!this.#open) {
        if (!this.#stopping.signal.aborted) this.#lost = true;
        return;
      }
      if (this.#stopping.signal.aborted) {
        this.#arrived.length = 0;
        if (this.#channel) {
          this.#acknowledge(this.#channel);
          await closeQuietly(this.#channel);
        }
        return;
      }
      await this.#wake.wait(60_000);
    }
  }

  /** Handles one message until `handle` resolves (then acknowledged), the limit is reached or it stops. */
  async #deliver(raw: ConsumeMessage): Promise<void> {
    const { group, topic, partition, logger, handle, slots, deliveryLimit, retryDelayMs } = this.context;
    const channel = this.#channel;
    if (!channel) return;
    const message = decodeMessage(raw, topic);
    if (!message) {
      logger.error(
        { group, topic, partition, messageId: raw.properties.messageId as unknown },
        'message without an id or a key header; dead-lettering it',
      );
      this.#acknowledge(channel);
      this.#settle(channel, () => channel.reject(raw, false));
      return;
    }
    for (let deliveryAttempt = deliveryAttemptOf(raw), retries = 0; ; deliveryAttempt++, retries++) {
      // Lost meanwhile (the broker has already put it back), or stopping (closing the channel will).
      if (this.#channel !== channel || !this.#open || (retries > 0 && this.#stopping.signal.aborted)) return;
      const release = await slots.acquire();
      try {
        await handle({ message, partition, deliveryAttempt });
        this.#handled = raw;
        this.#handledCount += 1;
        // One ack for a run of handled messages (multiple: everything up to this one, on this partition's
        // own channel): fewer commands for the queue. Sent when nothing else has arrived, or every so often.
        if (this.#arrived.length === 0 || this.#handledCount >= ACKNOWLEDGE_EVERY) this.#acknowledge(channel);
        return;
      } catch (error) {
        const last = deliveryAttempt > deliveryLimit;
        logger.warn(
          { err: error, group, topic, partition, messageId: message.id, deliveryAttempt },
          last
            ? 'handler failed on the last delivery; the message goes to the dead-letter queue'
            : 'handler failed; the message will be delivered again',
        );
        this.#acknowledge(channel);
        if (last) {
          this.#settle(channel, () => channel.reject(raw, false));
          return;
        }
      } finally {
        release();
      }
      await sleep(
        backoffDelay(retries + 1, { initialDelayMs: retryDelayMs, maxDelayMs: 5_000 }),
        this.#stopping.signal,
      );
    }
  }

  /** Acknowledges every message handled so far on `channel`. */
  #acknowledge(channel: Channel): void {
    const last = this.#handled;
    this.#handled = undefined;
    this.#handledCount = 0;
    if (last) this.#settle(channel, () => channel.ack(last, true));
  }

  #settle(channel: Channel, action: () => void): void {
    if (this.#channel !== channel || !this.#open) return;
    try {
      action();
    } catch (error) {
      this.context.logger.warn(
        { err: error, group: this.context.group, topic: this.context.topic },
        'cannot settle a RabbitMQ delivery; the broker will redeliver it',
      );
    }
  }
}
