import type { Consumer, Transport } from '@talad/messaging';
import { createLinkProvider } from './connection.ts';
import { startGroupConsumer } from './group-consumer.ts';
import { resolveSettings, type NatsTransportOptions } from './options.ts';
import { createPublisher } from './publisher.ts';
import { createStreamRegistry } from './stream-registry.ts';

/**
 * The message transport over NATS JetStream.
 *
 * Layout: one file-backed stream per topic (`<prefix>_<topic with dots as underscores>`) on subjects
 * `<prefix>.<topic>.<partition>`, where partition = `partitionOf(key, partitions)`; messages carry their id
 * as `Nats-Msg-Id`, so a publish repeated within the duplicate window is stored once. Each group reads each
 * partition through a durable pull consumer (`<group>_p<partition>`, explicit acks, max_ack_pending 1), so
 * a partition is handled in order by one instance at a time however many instances compete.
 *
 * Semantics (the port's guarantees, with JetStream's limits): a group receives messages published after it
 * first subscribed; a message is acknowledged only after `handle` resolves; a rejected message comes back
 * after a short, growing delay, before any later message of its partition; a message whose instance died
 * comes back after `ackWaitMs` (handlers running longer keep it with in-progress signals). Publishing while
 * the connection is down rejects at once; the client reconnects by itself and consumers resume.
 *
 * @example
 * const transport = createNatsTransport({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', logger });
 * await transport.publish([{ id, topic: 'ordering.events', key: orderId, body }]);
 * const consumer = await transport.consume({
 *   group: 'inventory',
 *   topics: ['ordering.events'],
 *   concurrency: 8,
 *   handle: async ({ message, deliveryAttempt }) => { ... },
 * });
 * await consumer.stop();
 * await transport.close();
 */
export function createNatsTransport(options: NatsTransportOptions): Transport {
  const settings = resolveSettings(options);
  const links = createLinkProvider({
    url: settings.url,
    name: `talad-${settings.namePrefix}`,
    requestTimeoutMs: settings.requestTimeoutMs,
    logger: settings.logger,
  });
  const streams = createStreamRegistry(settings);
  const publish = createPublisher(links, streams, settings);
  const consumers = new Set<Consumer>();
  let closed: Promise<void> | undefined;
  const isClosed = (): boolean => closed !== undefined;

  return {
    kind: 'nats',
    partitions: settings.partitions,
    publish: (messages) => (isClosed() ? Promise.reject(new Error('NATS transport is closed')) : publish(messages)),
    async consume(consumeOptions) {
      if (isClosed()) throw new Error('NATS transport is closed');
      const consumer = await startGroupConsumer(links, streams, settings, consumeOptions);
      // close() ran meanwhile and could not see this consumer: stop it here.
      if (isClosed()) {
        await consumer.stop();
        throw new Error('NATS transport is closed');
      }
      const tracked: Consumer = {
        stop: async () => {
          consumers.delete(tracked);
          await consumer.stop();
        },
      };
      consumers.add(tracked);
      return tracked;
    },
    async ping() {
      const link = await links.get();
      if (!link.isConnected()) throw new Error('NATS is disconnected');
      // A JetStream API round trip: core NATS can answer while JetStream cannot (e.g. its storage is full).
      await link.jsm.getAccountInfo();
    },
    close() {
      closed ??= (async () => {
        await Promise.all([...consumers].map((consumer) => consumer.stop()));
        await links.close();
      })();
      return closed;
    },
  };
}
