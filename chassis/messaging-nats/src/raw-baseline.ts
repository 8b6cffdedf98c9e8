import { performance } from 'node:perf_hooks';
import { connect, nanos, nuid } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';

export interface RawBaselineOptions {
  /** e.g. `process.env.NATS_URL ?? 'nats://127.0.0.1:4222'`. */
  readonly url: string;
  /** Default 10,000. */
  readonly messages?: number;
  /** Default 1,024. */
  readonly payloadBytes?: number;
  /** Publishes awaiting their ack at once. Default 64. */
  readonly inFlight?: number;
  /** Prefix of the temporary stream's name and subject. Default `talad_bench`. */
  readonly namePrefix?: string;
}

export interface RawBaselineResult {
  readonly messages: number;
  readonly seconds: number;
  readonly msgsPerSecond: number;
  /** From the start of a message's publish to its arrival at the consumer. */
  readonly latencyMs: { readonly p50: number; readonly p99: number };
}

/**
 * What JetStream does with no transport around it, as the benchmark's baseline: publishes `messages`
 * payloads to a plain file-backed stream (message ids set, acks awaited, `inFlight` at a time) while one
 * plain durable pull consumer (explicit acks, default batching, no ordering limit) reads and acks them.
 * No database, no partitions. The stream is deleted afterwards.
 *
 * @example
 * const { msgsPerSecond, latencyMs } = await runRawBaseline({ url: 'nats://127.0.0.1:4222', messages: 20_000 });
 */
export async function runRawBaseline(options: RawBaselineOptions): Promise<RawBaselineResult> {
  const total = options.messages ?? 10_000;
  if (!Number.isInteger(total) || total < 1) throw new RangeError(`messages must be a positive integer, got ${total}`);
  const payloadBytes = Math.max(8, options.payloadBytes ?? 1024);
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
          // Each payload starts with the moment its publish began.
          const sentAt = new DataView(msg.data.buffer, msg.data.byteOffset, 8).getFloat64(0);
          latencies.push(performance.now() - sentAt);
          msg.ack();
          if (latencies.length === total) break;
        }
      })();

      const started = performance.now();
      let next = 0;
      const publisher = async (): Promise<void> => {
        while (next < total) {
          const sequence = next++;
          const payload = new Uint8Array(payloadBytes);
          new DataView(payload.buffer).setFloat64(0, performance.now());
          await js.publish(subject, payload, { msgID: `${id}-${sequence}` });
        }
      };
      await Promise.all(Array.from({ length: Math.min(inFlight, total) }, publisher));
      await consumed;
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      return {
        messages: total,
        seconds,
        msgsPerSecond: total / seconds,
        latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
      };
    } finally {
      await jsm.streams.delete(stream);
    }
  } finally {
    await nc.close();
  }
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}
