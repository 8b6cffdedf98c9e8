import type { Message, Options } from 'amqplib';
import type { TransportMessage } from '@talad/messaging';

/** Header carrying the partition key: the routing key holds only the partition it hashed to. */
export const KEY_HEADER = 'talad-key';
/** Header carrying the topic, so a dead-lettered message still says where it was going. */
export const TOPIC_HEADER = 'talad-topic';

export const CONTENT_TYPE = 'application/cloudevents+json';

/**
 * AMQP properties of a message: persistent, so a confirm means it is on disk; the CloudEvent id as
 * the message id; key and topic as headers.
 */
export function encodeMessage(message: TransportMessage): { content: Buffer; properties: Options.Publish } {
  return {
    // A view, not a copy: the caller does not touch the body while its publish is in flight.
    content: Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength),
    properties: {
      persistent: true,
      messageId: message.id,
      contentType: CONTENT_TYPE,
      headers: { [KEY_HEADER]: message.key, [TOPIC_HEADER]: message.topic },
    },
  };
}

/** The transport message an AMQP delivery carries, or `undefined` when it was not published by us. */
export function decodeMessage(delivery: Message, topic: string): TransportMessage | undefined {
  const id: unknown = delivery.properties.messageId;
  const key: unknown = delivery.properties.headers?.[KEY_HEADER];
  if (typeof id !== 'string' || typeof key !== 'string') return undefined;
  return { id, topic, key, body: delivery.content };
}

/**
 * 1 the first time. Quorum queues count earlier deliveries in `x-delivery-count`; the redelivered
 * flag says at least "once before" where the count is missing or lags behind it.
 */
export function deliveryAttemptOf(delivery: Message): number {
  const count: unknown = delivery.properties.headers?.['x-delivery-count'];
  const counted = typeof count === 'number' ? count + 1 : 1;
  return delivery.fields.redelivered ? Math.max(counted, 2) : counted;
}
