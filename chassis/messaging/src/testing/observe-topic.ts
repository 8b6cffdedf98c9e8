import type { Consumer, Transport } from '../transport.ts';

/** A message as a test sees it on a topic: the CloudEvent's type, subject and data. */
export interface ObservedMessage<Data = Record<string, unknown>> {
  readonly type: string;
  readonly subject: string;
  readonly data: Data;
}

export interface ObservedTopic<Data = Record<string, unknown>> {
  /** Every message published to the topic since the observer started, in the order received. */
  readonly messages: Array<ObservedMessage<Data>>;
  /** The data of the messages of one type, in the order received. */
  dataOf(type: string): Data[];
  stop(): Promise<void>;
}

/**
 * Another service's view of a topic, for tests: a consumer group of its own that decodes each envelope
 * and keeps it. A group starts at "now", so start the observer before what it should see is published.
 *
 * @example
 * const events = await observeTopic(transport, 'ordering.events');
 * // ... place an order ...
 * await waitFor('OrderPlaced', () => events.dataOf('ordering.OrderPlaced.v1').length === 1);
 */
export async function observeTopic<Data = Record<string, unknown>>(
  transport: Transport,
  topic: string,
  group = 'test-observer',
): Promise<ObservedTopic<Data>> {
  const messages: Array<ObservedMessage<Data>> = [];
  const consumer: Consumer = await transport.consume({
    group,
    topics: [topic],
    concurrency: 1,
    handle: async ({ message }) => {
      const envelope = JSON.parse(Buffer.from(message.body).toString()) as ObservedMessage<Data>;
      messages.push({ type: envelope.type, subject: envelope.subject, data: envelope.data });
    },
  });
  return {
    messages,
    dataOf: (type) => messages.filter((message) => message.type === type).map((message) => message.data),
    stop: () => consumer.stop(),
  };
}
