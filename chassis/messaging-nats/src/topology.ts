import { nanos } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { consumerName, partitionSubject, streamName, streamSubjects } from './names.ts';
import type { NatsTransportSettings } from './options.ts';

type TopologySettings = Pick<
  NatsTransportSettings,
  'namePrefix' | 'partitions' | 'duplicateWindowMs' | 'retentionMs' | 'replicas' | 'ackWaitMs' | 'maxDeliver'
>;

// JetStream API error codes (nats-server errors.json) meaning "exists, with another configuration".
const STREAM_NAME_IN_USE = 10058;
const CONSUMER_ALREADY_EXISTS = 10148;
const CONSUMER_NAME_IN_USE = 10013;

function isApiError(error: unknown, ...codes: number[]): boolean {
  return error instanceof JetStreamApiError && codes.includes(error.code);
}

/** Written into the stream's description: instances configured with another partition count are refused. */
const partitionsMark = (partitions: number): string => `partitions=${partitions}`;

/**
 * Creates the topic's stream unless it exists. Safe when several instances start at once: adding a stream
 * with the same configuration is a no-op on the server. A stream changed by an operator (limits, window) is
 * accepted; one with other subjects or another partition count is refused, since using it would mix topics
 * or reorder keys.
 */
export async function ensureStream(jsm: JetStreamManager, settings: TopologySettings, topic: string): Promise<string> {
  const name = streamName(settings.namePrefix, topic);
  const subject = streamSubjects(settings.namePrefix, topic);
  const config: Partial<StreamConfig> & { name: string } = {
    name,
    subjects: [subject],
    description: `Talad topic ${topic}, ${partitionsMark(settings.partitions)}`,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(settings.retentionMs),
    duplicate_window: nanos(settings.duplicateWindowMs),
    num_replicas: settings.replicas,
  };
  try {
    await jsm.streams.add(config);
    return name;
  } catch (error) {
    if (!isApiError(error, STREAM_NAME_IN_USE)) throw error;
  }
  // It exists with a different configuration; it will do if it still routes this topic the same way.
  const { config: existing } = await jsm.streams.info(name);
  if (existing.subjects.length !== 1 || existing.subjects[0] !== subject) {
    throw new Error(`stream ${name} holds subjects ${existing.subjects.join(', ')}, not ${subject}`);
  }
  if (!(existing.description ?? '').endsWith(partitionsMark(settings.partitions))) {
    throw new Error(
      `stream ${name} was created with other partitions (${existing.description ?? 'no description'}); ` +
        `this instance uses ${settings.partitions}`,
    );
  }
  return name;
}

/**
 * Creates or updates the durable pull consumer through which every instance of `group` reads one partition.
 * One unacknowledged message at a time (max_ack_pending 1) keeps the partition in order across all
 * instances; the position starts at the first message published after the group first subscribed and
 * survives restarts, as the consumer is durable and stored with the stream.
 */
export async function ensureGroupConsumer(
  jsm: JetStreamManager,
  settings: TopologySettings,
  topic: string,
  group: string,
  partition: number,
): Promise<ConsumerInfo> {
  const stream = streamName(settings.namePrefix, topic);
  const config = {
    durable_name: consumerName(group, partition),
    description: `Talad group ${group}, topic ${topic}, partition ${partition}`,
    filter_subject: partitionSubject(settings.namePrefix, topic, partition),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.New,
    replay_policy: ReplayPolicy.Instant,
    max_ack_pending: 1,
    ack_wait: nanos(settings.ackWaitMs),
    max_deliver: settings.maxDeliver,
  };
  try {
    // Before 2.10 this creates or updates; from 2.10 on it refuses a changed configuration, handled below.
    return await jsm.consumers.add(stream, config);
  } catch (error) {
    if (!isApiError(error, CONSUMER_ALREADY_EXISTS, CONSUMER_NAME_IN_USE)) throw error;
  }
  const existing = await jsm.consumers.info(stream, config.durable_name);
  if (existing.config.filter_subject !== config.filter_subject) {
    throw new Error(`consumer ${config.durable_name} on ${stream} filters ${existing.config.filter_subject ?? '>'}`);
  }
  const { ack_wait, max_deliver, max_ack_pending, description } = config;
  return jsm.consumers.update(stream, config.durable_name, { ack_wait, max_deliver, max_ack_pending, description });
}
