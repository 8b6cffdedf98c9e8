import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect, type ConfirmChannel } from 'amqplib';

export interface RawBaselineOptions {
  readonly url: string;
  /** Messages to send (10,000). */
  readonly messages?: number;
  /** Size of each message body (1,024 bytes). */
  readonly messageBytes?: number;
  /** `classic` (a plain durable queue, the default) or `quorum`, the kind the transport uses. */
  readonly queueType?: 'classic' | 'quorum';
  /** Most published messages awaiting their confirm at once (1,000). */
  readonly maxUnconfirmed?: number;
  /** Consumer prefetch (100). */
  readonly prefetch?: number;
}

export interface RawBaselineResult {
  readonly queueType: 'classic' | 'quorum';
  readonly messages: number;
  readonly seconds: number;
  /** Messages published, confirmed and consumed per second, first publish to last consume. */
  readonly messagesPerSecond: number;
  /** Publish to consume, in milliseconds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * What RabbitMQ does on this machine with a plain client and nothing else: persistent 1 KB messages
 * published with confirms to one durable queue and consumed with acks by one consumer, no partitions,
 * no database. The benchmark puts the transport beside it, so its overhead has a number.
 *
 * @example
 * const baseline = await runRawBaseline({ url: 'amqp://guest:guest@127.0.0.1:5672', messages: 20_000 });
 * // { queueType: 'classic', messages: 20000, messagesPerSecond: ..., p50Ms: ..., p99Ms: ... }
 */
export async function runRawBaseline(options: RawBaselineOptions): Promise<RawBaselineResult> {
  const total = options.messages ?? 10_000;
  const messageBytes = Math.max(options.messageBytes ?? 1024, 8);
  const queueType = options.queueType ?? 'classic';
  const maxUnconfirmed = options.maxUnconfirmed ?? 1_000;
  const queue = `talad-raw-baseline-${randomBytes(4).toString('hex')}`;

  const model = await connect(options.url);
  try {
    const publishing = await model.createConfirmChannel();
    const consuming = await model.createChannel();
    await publishing.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': queueType } });
    await consuming.prefetch(options.prefetch ?? 100);

    const latencies: number[] = [];
    let consumedAll: () => void = () => undefined;
    const consumed = new Promise<void>((resolve) => (consumedAll = resolve));
    let finishedAt = 0;
    await consuming.consume(queue, (message) => {
      if (!message) return;
      // Each body starts with its send time; the same clock reads it, so no skew.
      latencies.push(performance.now() - message.content.readDoubleLE(0));
      consuming.ack(message);
      if (latencies.length === total) {
        finishedAt = performance.now();
        consumedAll();
      }
    });

    const startedAt = performance.now();
    await publishAll(publishing, queue, total, messageBytes, maxUnconfirmed);
    await consumed;
    await publishing.deleteQueue(queue);

    const seconds = (finishedAt - startedAt) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      queueType,
      messages: total,
      seconds,
      messagesPerSecond: total / seconds,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
    };
  } finally {
    await model.close().catch(() => undefined);
  }
}

async function publishAll(
  channel: ConfirmChannel,
  queue: string,
  total: number,
  messageBytes: number,
  maxUnconfirmed: number,
): Promise<void> {
  let unconfirmed = 0;
  let failure: unknown;
  let wake: () => void = () => undefined;
  for (let sent = 0; sent < total; sent++) {
    while (unconfirmed >= maxUnconfirmed) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) throw new Error('RabbitMQ did not confirm a message', { cause: failure });
    const body = Buffer.alloc(messageBytes, 0x61);
    body.writeDoubleLE(performance.now(), 0);
    unconfirmed++;
    channel.sendToQueue(queue, body, { persistent: true, messageId: String(sent) }, (error: unknown) => {
      if (error) failure ??= error;
      unconfirmed--;
      wake();
    });
  }
  await channel.waitForConfirms();
  if (failure) throw new Error('RabbitMQ did not confirm a message', { cause: failure });
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}
