import { headers, RequestError } from '@nats-io/transport-node';
import { partitionOf, type TransportMessage } from '@talad/messaging';
import type { LinkProvider, NatsLink } from './connection.ts';
import { assertTopic, encodeHeaderValue, KEY_HEADER, partitionSubject } from './names.ts';
import type { NatsTransportSettings } from './options.ts';
import type { StreamRegistry } from './stream-registry.ts';

/** A run of messages bound for one partition, in the caller's order. */
interface Lane {
  readonly topic: string;
  readonly subject: string;
  readonly messages: TransportMessage[];
}

interface LaneState {
  /** The first real failure of the batch, which the caller sees. */
  failure: Error | undefined;
}

/**
 * Publishes with JetStream acknowledgements: resolves once every message is stored (or recognised as a
 * duplicate of one stored within the window, by its `Nats-Msg-Id`). Partitions go out concurrently; within
 * a partition each message waits for the previous one's ack, so a failure can never let a later message of
 * a key be stored ahead of an earlier one that the caller will publish again.
 */
export function createPublisher(
  links: LinkProvider,
  streams: StreamRegistry,
  settings: NatsTransportSettings,
): (messages: readonly TransportMessage[]) => Promise<void> {
  return async (messages) => {
    if (messages.length === 0) return;
    const lanes = new Map<string, Lane>();
    for (const message of messages) {
      assertTopic(message.topic);
      const subject = partitionSubject(
        settings.namePrefix,
        message.topic,
        partitionOf(message.key, settings.partitions),
      );
      const lane = lanes.get(subject) ?? { topic: message.topic, subject, messages: [] };
      lane.messages.push(message);
      lanes.set(subject, lane);
    }
    const link = await links.get();
    if (!link.isConnected()) throw new Error('NATS is disconnected; nothing was published');
    const topics = [...new Set(messages.map((message) => message.topic))];
    const streamOf = new Map(
      await Promise.all(topics.map(async (topic) => [topic, await streams.ensure(link, topic)] as const)),
    );
    const state: LaneState = { failure: undefined };
    const results = await Promise.allSettled(
      [...lanes.values()].map((lane) => publishLane(link, lane, streamOf.get(lane.topic) ?? '', state)),
    );
    const rejected = results.find((result) => result.status === 'rejected');
    if (rejected) throw state.failure ?? rejected.reason;
  };

  async function publishLane(link: NatsLink, lane: Lane, stream: string, state: LaneState): Promise<void> {
    for (const message of lane.messages) {
      // Stop early once another lane failed: the caller publishes the whole batch again anyway.
      if (state.failure) throw new Error('publish abandoned after another message failed');
      // While disconnected the client would queue the message and the ack wait would time out; fail fast.
      if (!link.isConnected()) {
        state.failure = new Error(`NATS is disconnected; message ${message.id} was not published`);
        throw state.failure;
      }
      const messageHeaders = headers();
      messageHeaders.set(KEY_HEADER, encodeHeaderValue(message.key));
      try {
        await link.js.publish(lane.subject, message.body, {
          msgID: encodeHeaderValue(message.id),
          headers: messageHeaders,
          expect: { streamName: stream },
          timeout: settings.requestTimeoutMs,
        });
      } catch (error) {
        // No responder on the subject: the stream is gone; create it again on the next attempt.
        if (isNoResponders(error)) streams.forget(lane.topic);
        state.failure ??= new Error(`publishing message ${message.id} to ${lane.subject} failed: ${describe(error)}`, {
          cause: error,
        });
        throw state.failure;
      }
    }
  }
}

/** The client reports "no responders" (wrapped as "jetstream is not enabled") when no stream takes a subject. */
function isNoResponders(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof RequestError && cause.isNoResponders();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
