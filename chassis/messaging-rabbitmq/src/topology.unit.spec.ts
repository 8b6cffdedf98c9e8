import { describe, expect, it } from 'vitest';
import { partitionQueueArguments, topologyNames } from './topology.ts';

describe('topology names', () => {
  const names = topologyNames('talad');

  it('names exchanges by topic and queues by group, topic and partition', () => {
    expect(names.topicExchange('ordering.events')).toBe('talad.ordering.events');
    expect(names.partitionQueue('inventory', 'ordering.events', 3)).toBe('talad.inventory.ordering.events.3');
    expect(names.deadLetterExchange).toBe('talad.dead-letter');
    expect(names.deadLetterQueue('inventory')).toBe('talad.inventory.dead-letter');
  });

  it('refuses a group with a dot, which would make two queue names collide', () => {
    expect(() => names.partitionQueue('a.b', 'c', 0)).toThrow(/consumer group "a.b"/);
    expect(() => names.deadLetterQueue('')).toThrow(/consumer group/);
  });

  it('refuses the one topic whose exchange would be the dead-letter exchange', () => {
    expect(() => names.topicExchange('dead-letter')).toThrow(/cannot be a topic/);
  });

  it('gives partition queues a quorum type, a single active consumer and an at-least-once dead-letter route', () => {
    expect(partitionQueueArguments({ group: 'g', deadLetterExchange: 'talad.dead-letter', deliveryLimit: 20 })).toEqual(
      {
        'x-queue-type': 'quorum',
        'x-single-active-consumer': true,
        'x-delivery-limit': 20,
        'x-dead-letter-exchange': 'talad.dead-letter',
        'x-dead-letter-routing-key': 'g',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    );
  });
});
