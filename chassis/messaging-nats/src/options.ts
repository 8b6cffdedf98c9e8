import { DEFAULT_PARTITIONS, silentTransportLogger, type TransportLogger } from '@talad/messaging';
import { assertToken } from './names.ts';

export interface NatsTransportOptions {
  /** e.g. `process.env.NATS_URL ?? 'nats://127.0.0.1:4222'`; several servers may be given, comma-separated. */
  readonly url: string;
  /** Partitions per topic; every instance must use the same number (a stream records it and refuses others). */
  readonly partitions?: number;
  readonly logger?: TransportLogger;
  /** Prefix of every subject and stream name; tests use a unique one per run. Default `talad`. */
  readonly namePrefix?: string;
  /**
   * Deliveries after which JetStream gives a message up (logged at error level when it happens). Default
   * unlimited: the consumer runtime above dead-letters after its own limit, and a broker-side limit would
   * drop messages for good while the dead-letter store itself is unreachable.
   */
  readonly maxDeliver?: number;
  /** An unacknowledged message is redelivered this long after its last sign of life. Default 30 s. */
  readonly ackWaitMs?: number;
  /** Publishes repeating a message id within this window are stored once. Default 2 min. */
  readonly duplicateWindowMs?: number;
  /** How long a stream keeps messages, acknowledged or not. Default 7 days. */
  readonly retentionMs?: number;
  /** Stream replicas; 3 on a cluster. Default 1. */
  readonly replicas?: number;
  /**
   * How long a pull request waits for a message before the next one replaces it (at least 1 s). `stop()`
   * waits for the open request of an idle partition, so this bounds how long stopping takes. Default 3 s.
   */
  readonly pullExpiresMs?: number;
  /** Longest wait for a publish acknowledgement or a JetStream API answer. Default 5 s. */
  readonly requestTimeoutMs?: number;
  /** Delay before a rejected message is delivered again, by delivery attempt. Default 100 ms doubling to 5 s. */
  readonly redeliveryDelayMs?: (deliveryAttempt: number) => number;
}

export type NatsTransportSettings = Required<NatsTransportOptions>;

/** Exponential: 100, 200, 400 ms ... capped at 5 s, so a failing handler neither spins nor stalls long. */
export function defaultRedeliveryDelayMs(deliveryAttempt: number): number {
  return Math.min(100 * 2 ** Math.max(0, deliveryAttempt - 1), 5_000);
}

export function resolveSettings(options: NatsTransportOptions): NatsTransportSettings {
  const settings: NatsTransportSettings = {
    url: options.url,
    partitions: options.partitions ?? DEFAULT_PARTITIONS,
    logger: options.logger ?? silentTransportLogger,
    namePrefix: options.namePrefix ?? 'talad',
    maxDeliver: options.maxDeliver ?? -1,
    ackWaitMs: options.ackWaitMs ?? 30_000,
    duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
    retentionMs: options.retentionMs ?? 7 * 24 * 3_600_000,
    replicas: options.replicas ?? 1,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    pullExpiresMs: options.pullExpiresMs ?? 3_000,
    redeliveryDelayMs: options.redeliveryDelayMs ?? defaultRedeliveryDelayMs,
  };
  assertToken('namePrefix', settings.namePrefix);
  if (!Number.isInteger(settings.partitions) || settings.partitions < 1) {
    throw new RangeError(`partitions must be a positive integer, got ${settings.partitions}`);
  }
  if (settings.maxDeliver !== -1 && (!Number.isInteger(settings.maxDeliver) || settings.maxDeliver < 1)) {
    throw new RangeError(`maxDeliver must be -1 (unlimited) or a positive integer, got ${settings.maxDeliver}`);
  }
  // In-progress signals go out at a third of ack_wait; much shorter and they would flood the server.
  if (settings.ackWaitMs < 1_000) throw new RangeError(`ackWaitMs must be at least 1000, got ${settings.ackWaitMs}`);
  // The client refuses shorter pull requests.
  if (settings.pullExpiresMs < 1_000) {
    throw new RangeError(`pullExpiresMs must be at least 1000, got ${settings.pullExpiresMs}`);
  }
  if (settings.duplicateWindowMs > settings.retentionMs) {
    throw new RangeError('duplicateWindowMs cannot exceed retentionMs');
  }
  return settings;
}
