import { performance } from 'node:perf_hooks';
import { connect, nanos, nuid } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import {
  baselineMessages,
  baselineResult,
  sinceStamped,
  stampedPayload,
  type RawBaselineOptions as CommonOptions,
  type RawBaselineResult,
} from '@talad/messaging';

export interface RawBaselineOptions extends CommonOptions {
  /** Prefix of the temporary stream's name and subject. Default `talad_bench`. */
  readonly namePrefix?: string;
}

export type { RawBaselineResult };

/**
 * What JetStream does with no transport around it, as the benchmark's baseline: publishes `messages`
 * payloads to a plain file-backed stream (message ids set, acks awaited, `inFlight` (64) at a time) while
 * one plain durable pull consumer (explicit acks, default batching, no ordering limit) reads and acks
 * them. No database, no partitions. The stream is deleted afterwards.
 *
 * @example
 * const { msgsPerSecond, latencyMs } = await runRawBaseline({ url: 'nats://127.0.0.1:4222', messages: 20_000 });
 */
export async function runRawBaseline(options: RawBaselineOptions): Promise<RawBaselineResult> {
  const total = baselineMessages(options);
  const payloadBytes = options.payloadBytes ?? 1024;
  const inFlight = options.inFlight ?? 64;
  const id = nuid.next();
  const stream = `${options.namePrefix ?? 'talad_bench'}_raw_${id}`;
  const subject = `${stream}.messages`;

  const nc = await connect({ servers: options.url });
  try {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    await jsm.streams.add({
      name: stream,
      subjects: [subject],
      storage: StorageType.File,
      duplicate_window: nanos(120_000),
    });
    try {
      await jsm.consumers.add(stream, {
        durable_name: 'baseline',
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
      });
      const latencies: number[] = [];
      const consumer = await js.consumers.get(stream, 'baseline');
      const messages = await consumer.consume();
      const consumed = (async () => {
        for await (const msg of messages) {
          latencies.push(sinceStamped(msg.data));
          msg.ack();
          if (latencies.length === total) break;
        }
      })();

      const started = performance.now();
      let next = 0;
      const publisher = async (): Promise<void> => {
        while (next < total) {
          const sequence = next++;
          await js.publish(subject, stampedPayload(payloadBytes), { msgID: `${id}-${sequence}` });
        }
      };
      await Promise.all(Array.from({ length: Math.min(inFlight, total) }, publisher));
      await consumed;
      return baselineResult(total, started, latencies);
    } finally {
      await jsm.streams.delete(stream);
    }
  } finally {
    await nc.close();
  }
}
