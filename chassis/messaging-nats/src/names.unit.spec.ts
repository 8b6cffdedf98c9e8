import { describe, expect, it } from 'vitest';
import {
  assertTopic,
  consumerName,
  decodeHeaderValue,
  encodeHeaderValue,
  isGroupConsumer,
  partitionSubject,
  streamName,
} from './names.ts';
import { parseAckSubject } from './pulled-message.ts';

describe('names', () => {
  it('maps a topic to its stream, and a partition to its subject', () => {
    expect(streamName('talad', 'ordering.events')).toBe('talad_ordering_events');
    expect(partitionSubject('talad', 'ordering.events', 3)).toBe('talad.ordering.events.3');
  });

  it('refuses topics that are not plain dot-separated tokens', () => {
    expect(() => assertTopic('ordering.events')).not.toThrow();
    for (const topic of ['', 'a..b', 'a.*', 'a.>', 'has space', 'a.b.']) expect(() => assertTopic(topic)).toThrow();
  });

  it('recognises exactly the consumers of one group', () => {
    expect(isGroupConsumer(consumerName('inventory', 7), 'inventory')).toBe(true);
    expect(isGroupConsumer(consumerName('inventory_p1', 0), 'inventory')).toBe(false);
    expect(isGroupConsumer(consumerName('inventory', 0), 'inventory_p1')).toBe(false);
  });

  it('round-trips any id or key through a header value, and passes foreign values unchanged', () => {
    for (const value of ['0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e', 'a b\r\nc', 'ключ ✓', '%']) {
      expect(encodeHeaderValue(value)).toMatch(/^[\x21-\x7e]*$/);
      expect(decodeHeaderValue(encodeHeaderValue(value))).toBe(value);
    }
    expect(decodeHeaderValue('100%')).toBe('100%');
  });
});

describe('parseAckSubject', () => {
  it('reads the delivery count and stream sequence from both reply subject forms', () => {
    expect(parseAckSubject('$JS.ACK.ORDERS.inventory_p3.2.41.17.1700000000000000000.5')).toEqual({
      stream: 'ORDERS',
      consumer: 'inventory_p3',
      deliveryCount: 2,
      streamSequence: 41,
    });
    expect(parseAckSubject('$JS.ACK.hub.ACCHASH.ORDERS.inventory_p3.1.42.18.1700000000000000000.0.xyz')).toEqual({
      stream: 'ORDERS',
      consumer: 'inventory_p3',
      deliveryCount: 1,
      streamSequence: 42,
    });
    expect(parseAckSubject('_INBOX.abc')).toBeUndefined();
  });
});
