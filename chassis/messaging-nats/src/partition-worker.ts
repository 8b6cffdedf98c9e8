import { sleep, type ConsumeOptions, type Semaphore } from '@talad/messaging';
import type { LinkProvider } from './connection.ts';
import { toDelivery } from './delivery.ts';
import { consumerName, streamName } from './names.ts';
import type { NatsTransportSettings } from './options.ts';
import type { PulledMessage } from './pulled-message.ts';
import { openPullSession } from './pull-session.ts';
import { ensureGroupConsumer, ensureStream } from './topology.ts';

export interface PartitionWorkerOptions {
  readonly links: LinkProvider;
  readonly settings: NatsTransportSettings;
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly handle: ConsumeOptions['handle'];
  /** Shared by all partitions of one `consume` call: its `concurrency`. */
  readonly slots: Semaphore;
}

export interface PartitionWorker {
  /**
   * Stops pulling, lets the message in hand finish and waits until its acknowledgement is confirmed. An idle
   * partition's open request is left to expire first (at most `pullExpiresMs`); what it brings is handed back.
   */
  stop(): Promise<void>;
}

/**
 * Pulls one partition's durable consumer, one message at a time: the consumer allows a single
 * unacknowledged message (max_ack_pending 1) across every instance of the group, so a partition is handled
 * in order and by one instance at a time, and a rejected or abandoned message comes back before the next.
 * Reconnects and server restarts are survived by sending a new request; when the consumer is missing, the
 * stream and consumer are ensured again before pulling on.
 */
export function startPartitionWorker(options: PartitionWorkerOptions): PartitionWorker {
  const { settings, topic, partition } = options;
  const logger = settings.logger;
  const context = { group: options.group, topic, partition };
  const stream = streamName(settings.namePrefix, topic);
  const consumer = consumerName(options.group, partition);
  // Tells JetStream the handler is still working, well before ack_wait would redeliver the message.
  const workingIntervalMs = Math.max(100, Math.floor(settings.ackWaitMs / 3));
  const acks = new Set<Promise<void>>();
  const stopping = new AbortController();
  // Read through a function: it changes while the loop awaits, which flow analysis cannot see.
  const isStopping = (): boolean => stopping.signal.aborted;

  const handleMessage = async (message: PulledMessage): Promise<void> => {
    const working = setInterval(() => message.working(), workingIntervalMs);
    try {
      const release = await options.slots.acquire();
      try {
        // Stopped while it waited for a slot: give it back at once for another instance to take.
        if (isStopping()) return message.nak();
        const delivery = toDelivery(message, topic, partition);
        try {
          await options.handle(delivery);
        } catch (error) {
          const delayMs = settings.redeliveryDelayMs(delivery.deliveryAttempt);
          logger.warn(
            { ...context, err: error, messageId: delivery.message.id, attempt: delivery.deliveryAttempt, delayMs },
            'handler rejected a message; it will be delivered again',
          );
          return message.nak(delayMs);
        }
        // Not awaited before the next pull: the server lets no later message of this partition through until
        // it has recorded this ack, so order is safe, and the ack and the next request share a round trip.
        const ack = message
          .ack(settings.requestTimeoutMs)
          .catch((error: unknown) =>
            logger.warn(
              { ...context, err: error, messageId: delivery.message.id },
              'acknowledgement not confirmed; the message may be delivered again',
            ),
          );
        acks.add(ack);
        void ack.finally(() => acks.delete(ack));
      } finally {
        release();
      }
    } finally {
      clearInterval(working);
    }
  };

  const run = async (): Promise<void> => {
    let failures = 0;
    while (!isStopping()) {
      try {
        const link = await options.links.get();
        if (failures > 0) {
          await ensureStream(link.jsm, settings, topic);
          await ensureGroupConsumer(link.jsm, settings, topic, options.group, partition);
        }
        const session = openPullSession(link, stream, consumer, settings.pullExpiresMs);
        try {
          for (;;) {
            const event = await session.next();
            if (event.kind === 'message') {
              failures = 0;
              if (isStopping()) event.message.nak();
              else await handleMessage(event.message);
            } else if (event.kind === 'missing') {
              throw new Error(`consumer ${consumer} on ${stream} is not available: ${event.reason}`);
            } else if (event.kind === 'closed') {
              throw new Error('the connection closed');
            }
            if (isStopping()) break;
          }
        } finally {
          await session.close();
        }
      } catch (error) {
        if (isStopping()) break;
        failures++;
        logger.warn({ ...context, err: error, failures }, 'pulling failed; retrying');
        await sleep(Math.min(100 * 2 ** failures, 5_000), stopping.signal);
      }
    }
  };

  const done = run();
  return {
    async stop() {
      stopping.abort();
      await done;
      await Promise.all(acks);
    },
  };
}
