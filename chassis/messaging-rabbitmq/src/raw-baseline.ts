import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect, type ConfirmChannel } from 'amqplib';
import {
  baselineMessages,
  baselineResult,
  sinceStamped,
  stampedPayload,
  type RawBaselineOptions as CommonOptions,
  type RawBaselineResult as CommonResult,
} from '@talad/messaging';

export interface RawBaselineOptions extends CommonOptions {
  /** `classic` (a plain durable queue, the default) or `quorum`, the kind the transport uses. */
  readonly queueType?: 'classic' | 'quorum';
  /** Consumer prefetch (100). */
  readonly prefetch?: number;
}

export interface RawBaselineResult extends CommonResult {
  readonly queueType: 'classic' | 'quorum';
}

/**
 * What RabbitMQ does on this machine with a plain client and nothing else: persistent messages published
 * with confirms (`inFlight`, 1,000, unconfirmed at once) to one durable queue and consumed with acks by one
 * consumer, no partitions, no database. The benchmark puts the transport beside it, so its overhead has a
 * number. The queue is deleted afterwards.
 *
 * @example
 * const baseline = await runRawBaseline({ url: 'amqp://guest:guest@127.0.0.1:5672', messages: 20_000, queueType: 'quorum' });
 * // { queueType: 'quorum', messages: 20000, msgsPerSecond: ..., latencyMs: { p50: ..., p99: ... } }
 */
export async function runRawBaseline(options: RawBaselineOptions): Promise<RawBaselineResult> {
  const total = baselineMessages(options);
  const payloadBytes = options.payloadBytes ?? 1024;
  const queueType = options.queueType ?? 'classic';
  const inFlight = options.inFlight ?? 1_000;
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
    await consuming.consume(queue, (message) => {
      if (!message) return;
      latencies.push(sinceStamped(message.content));
      consuming.ack(message);
      if (latencies.length === total) consumedAll();
    });

    const startedAt = performance.now();
    await publishAll(publishing, queue, total, payloadBytes, inFlight);
    await consumed;
    const result = baselineResult(total, startedAt, latencies);
    await publishing.deleteQueue(queue);
    return { queueType, ...result };
  } finally {
    await model.close().catch(() => undefined);
  }
}

async function publishAll(
  channel: ConfirmChannel,
  queue: string,
  total: number,
  payloadBytes: number,
  inFlight: number,
): Promise<void> {
  let unconfirmed = 0;
  let failure: unknown;
  let wake: () => void = () => undefined;
  for (let sent = 0; sent < total; sent++) {
    while (unconfirmed >= inFlight) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) throw new Error('RabbitMQ did not confirm a message', { cause: failure });
    const payload = stampedPayload(payloadBytes);
    unconfirmed++;
    channel.sendToQueue(
      queue,
      Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
      { persistent: true, messageId: String(sent) },
      (error: unknown) => {
        if (error) failure ??= error;
        unconfirmed--;
        wake();
      },
    );
  }
  await channel.waitForConfirms();
  if (failure) throw new Error('RabbitMQ did not confirm a message', { cause: failure });
}
