import type { NatsConnection } from '@nats-io/transport-node';
import { createSemaphore, type ConsumeOptions, type Consumer, type TransportLogger } from '@talad/messaging';
import type { LinkProvider } from './connection.ts';
import { assertToken, assertTopic, isGroupConsumer } from './names.ts';
import type { NatsTransportSettings } from './options.ts';
import { startPartitionWorker, type PartitionWorker } from './partition-worker.ts';
import type { StreamRegistry } from './stream-registry.ts';
import { ensureGroupConsumer } from './topology.ts';

/**
 * Joins `options.group` on every partition of every topic: ensures the streams and the group's durable
 * consumers, then runs one pull loop per partition, handling at most `concurrency` messages at once. The
 * consumers exist before this resolves, so every message published afterwards reaches the group.
 */
export async function startGroupConsumer(
  links: LinkProvider,
  streams: StreamRegistry,
  settings: NatsTransportSettings,
  options: ConsumeOptions,
): Promise<Consumer> {
  assertToken('group', options.group);
  options.topics.forEach(assertTopic);
  const slots = createSemaphore(options.concurrency);
  const link = await links.get();
  const partitions = Array.from({ length: settings.partitions }, (_, partition) => partition);
  const targets = await Promise.all(
    options.topics.map(async (topic) => {
      const stream = await streams.ensure(link, topic);
      await Promise.all(
        partitions.map((partition) => ensureGroupConsumer(link.jsm, settings, topic, options.group, partition)),
      );
      return { topic, stream };
    }),
  );
  const workers: PartitionWorker[] = targets.flatMap(({ topic }) =>
    partitions.map((partition) =>
      startPartitionWorker({
        links,
        settings,
        group: options.group,
        topic,
        partition,
        slots,
        handle: options.handle,
      }),
    ),
  );
  const advisories =
    settings.maxDeliver > 0
      ? watchGivenUp(
          link.nc,
          targets.map((target) => target.stream),
          options.group,
          settings.logger,
        )
      : undefined;
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        advisories?.unsubscribe();
        await Promise.all(workers.map((worker) => worker.stop()));
      })();
      return stopped;
    },
  };
}

/**
 * With a delivery limit, JetStream drops a message for the group once the limit is reached and says so only
 * in an advisory: log it loudly, once per group (a queue subscription), so the loss is never silent.
 */
function watchGivenUp(
  nc: NatsConnection,
  streams: readonly string[],
  group: string,
  logger: TransportLogger,
): { unsubscribe(): void } {
  const subscriptions = streams.map((stream) =>
    nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.*`, {
      queue: group,
      callback: (error, msg) => {
        if (error) return;
        const advisory = msg.json<{ stream?: string; consumer?: string; stream_seq?: number; deliveries?: number }>();
        if (!isGroupConsumer(advisory.consumer ?? '', group)) return;
        logger.error(
          { group, stream: advisory.stream, consumer: advisory.consumer, streamSequence: advisory.stream_seq },
          `message given up after ${advisory.deliveries ?? '?'} deliveries; it was not handled by the group`,
        );
      },
    }),
  );
  return { unsubscribe: () => subscriptions.forEach((subscription) => subscription.unsubscribe()) };
}
