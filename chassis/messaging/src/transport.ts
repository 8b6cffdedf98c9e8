/**
 * The one port every message broker adapter implements: the PostgreSQL message log (the embedded
 * default), RabbitMQ and NATS JetStream. Services never see it; they publish through the outbox and
 * consume through the consumer runtime, both of which speak only to this interface. Every adapter
 * passes the same conformance suite.
 *
 * Guarantees an adapter must give:
 * - `publish` resolves only once the broker has durably accepted every message (publisher confirms with
 *   persistent messages, JetStream publish acks, a committed insert). On rejection nothing is assumed
 *   sent: the caller publishes again, and the message id lets consumers drop the duplicate.
 * - Each consumer group receives its own copy of every message published to a topic after the group
 *   first subscribed (the group's position survives restarts).
 * - Messages with the same key land in the same partition and are handled one at a time, in publish
 *   order, by exactly one instance of the group at a time; different partitions run concurrently.
 * - A message is acknowledged only after `handle` resolves. If `handle` rejects, or the process dies
 *   before it resolves, the same message is delivered again before any later message of its partition.
 */

/** A message as a broker carries it: opaque bytes and the facts needed to route it. */
export interface TransportMessage {
  /** Unique per message (the CloudEvent id): brokers that deduplicate use it, inboxes key on it. */
  readonly id: string;
  /** Destination, e.g. `ordering.events`, `inventory.commands`, `ordering.replies`. */
  readonly topic: string;
  /** Partition key, normally the aggregate id: one key's messages keep their order. */
  readonly key: string;
  /** The CloudEvent in JSON structured mode. */
  readonly body: Uint8Array;
}

export interface Delivery {
  readonly message: TransportMessage;
  /** The partition it came from, `0 <= partition < partitions`. */
  readonly partition: number;
  /** 1 the first time; more when redelivered after a rejection or a crash (as far as the broker knows). */
  readonly deliveryAttempt: number;
}

export interface ConsumeOptions {
  /** Consumer group, normally the service name: every group gets every message once. */
  readonly group: string;
  readonly topics: readonly string[];
  /** Most messages this instance handles at once, across partitions (one per partition at a time). */
  readonly concurrency: number;
  /** Resolve to acknowledge; reject to have the message redelivered, ahead of its partition's later ones. */
  readonly handle: (delivery: Delivery) => Promise<void>;
}

export interface Consumer {
  /** Stops taking new messages, waits for those in flight to finish and be acknowledged. */
  stop(): Promise<void>;
}

export type TransportKind = 'postgres' | 'rabbitmq' | 'nats';

export interface Transport {
  readonly kind: TransportKind;
  /** Partitions per topic; the same number on every instance. */
  readonly partitions: number;
  /** Resolves once every message is durably accepted; messages sharing a key are published in array order. */
  publish(messages: readonly TransportMessage[]): Promise<void>;
  consume(options: ConsumeOptions): Promise<Consumer>;
  /** Whether the broker answers now, for readiness checks. */
  ping(): Promise<void>;
  /** Stops every consumer (as `stop` does) and closes connections. */
  close(): Promise<void>;
}

/** Partitions per topic unless configured otherwise. */
export const DEFAULT_PARTITIONS = 8;

/**
 * The partition of a key: FNV-1a over its UTF-8 bytes, so every adapter, instance and language agrees.
 *
 * @example
 * partitionOf('0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e', 8); // always the same number in 0..7
 */
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(key)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
