import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineMessage, parseMessageType, topicOf, topics } from './message-definition.ts';

describe('message definitions', () => {
  it('reads owner, name and version from the type', () => {
    const definition = defineMessage({
      type: 'ordering.OrderPlaced.v2',
      kind: 'event',
      schema: z.object({ orderId: z.string() }),
    });
    expect(definition).toMatchObject({ owner: 'ordering', name: 'ordering.OrderPlaced', version: 2, kind: 'event' });
  });

  it.each([
    'ordering.orderPlaced.v1',
    'Ordering.OrderPlaced.v1',
    'ordering.OrderPlaced',
    'ordering.OrderPlaced.v0',
    'OrderPlaced.v1',
  ])('refuses the malformed type %s', (type) => {
    expect(() => defineMessage({ type: type as 'a.B.v1', kind: 'event', schema: z.object({}) })).toThrow(
      /must look like/,
    );
  });

  it('derives topics from the owner: events and commands to the owner, replies to the requester', () => {
    const event = defineMessage({ type: 'catalog.ProductCreated.v1', kind: 'event', schema: z.object({}) });
    const command = defineMessage({ type: 'inventory.ReserveStock.v1', kind: 'command', schema: z.object({}) });
    const reply = defineMessage({ type: 'inventory.StockReserved.v1', kind: 'reply', schema: z.object({}) });
    expect(topicOf(event)).toBe('catalog.events');
    expect(topicOf(command)).toBe('inventory.commands');
    expect(topicOf(reply)).toBeUndefined();
    expect(topics.replies('ordering')).toBe('ordering.replies');
  });

  it('parses a type with a dashed service name and a many-digit version', () => {
    expect(parseMessageType('order-history.ViewRebuilt.v12')).toEqual({
      owner: 'order-history',
      name: 'order-history.ViewRebuilt',
      version: 12,
    });
    expect(parseMessageType('not a type')).toBeUndefined();
  });
});
