import type { Message } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { decodeMessage, deliveryAttemptOf, encodeMessage } from './message-codec.ts';

function delivered(
  properties: Partial<Message['properties']>,
  redelivered = false,
  content = Buffer.alloc(0),
): Message {
  return {
    content,
    fields: { deliveryTag: 1, redelivered, exchange: 'talad.t', routingKey: '0' },
    properties: { headers: {}, ...properties } as Message['properties'],
  };
}

describe('message codec', () => {
  it('publishes persistent CloudEvents with the id as message id and the key in a header', () => {
    const body = new TextEncoder().encode('{"id":"1"}');
    const { content, properties } = encodeMessage({ id: 'm-1', topic: 'orders.events', key: 'order-9', body });
    expect(content.equals(Buffer.from(body))).toBe(true);
    expect(properties).toEqual({
      persistent: true,
      messageId: 'm-1',
      contentType: 'application/cloudevents+json',
      headers: { 'talad-key': 'order-9', 'talad-topic': 'orders.events' },
    });
  });

  it('reads back what it wrote, and nothing from a message it did not write', () => {
    const content = Buffer.from('x');
    expect(decodeMessage(delivered({ messageId: 'm', headers: { 'talad-key': 'k' } }, false, content), 't')).toEqual({
      id: 'm',
      topic: 't',
      key: 'k',
      body: content,
    });
    expect(decodeMessage(delivered({ headers: { 'talad-key': 'k' } }), 't')).toBeUndefined();
    expect(decodeMessage(delivered({ messageId: 'm' }), 't')).toBeUndefined();
  });

  it('counts delivery attempts from the quorum queue count, or the redelivered flag', () => {
    expect(deliveryAttemptOf(delivered({}))).toBe(1);
    expect(deliveryAttemptOf(delivered({}, true))).toBe(2);
    expect(deliveryAttemptOf(delivered({ headers: { 'x-delivery-count': 4 } }, true))).toBe(5);
    expect(deliveryAttemptOf(delivered({ headers: { 'x-delivery-count': 0 } }, true))).toBe(2);
  });
});
