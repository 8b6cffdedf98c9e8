import { afterAll, describe, expect, it } from 'vitest';
import { partitionOf, type Delivery, type Transport } from '@talad/messaging';
import { createRabbitMqTransport } from './rabbitmq-transport.ts';
import {
  deleteTopology,
  listNames,
  rabbitMqUrl,
  readyCount,
  seqOf,
  testMessage,
  uniqueName,
  waitFor,
  withChannel,
} from './test-broker.ts';
import { topologyNames } from './topology.ts';

const prefix = uniqueName('transport');
const names = topologyNames(prefix);
const transports: Transport[] = [];

function transport(options: { partitions?: number } = {}): Transport {
  const created = createRabbitMqTransport({ url: rabbitMqUrl, namePrefix: prefix, ...options });
  transports.push(created);
  return created;
}

afterAll(async () => {
  await Promise.all(transports.map((each) => each.close()));
  const deleted = await deleteTopology(prefix);
  expect(deleted.queues.length).toBeGreaterThan(0);
  const left = [...(await listNames('list_queues')), ...(await listNames('list_exchanges'))];
  expect(left.filter((name) => name.startsWith(`${prefix}.`))).toEqual([]);
});

describe('RabbitMQ transport', () => {
  it('delivers a message with its id, topic, key, body and partition intact', async () => {
    const rabbit = transport();
    expect(rabbit.kind).toBe('rabbitmq');
    expect(rabbit.partitions).toBe(8);
    const received: Delivery[] = [];
    const consumer = await rabbit.consume({
      group: 'roundtrip',
      topics: ['orders.events'],
      concurrency: 4,
      handle: async (delivery) => void received.push(delivery),
    });
    const body = new TextEncoder().encode('{"specversion":"1.0","type":"order.placed","data":{"ü":"✓"}}');
    const sent = { id: '0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e', topic: 'orders.events', key: 'order-42', body };

    await rabbit.publish([sent]);
    await waitFor('the delivery', () => received.length === 1);
    await consumer.stop();

    const [delivery] = received;
    expect(delivery?.message.id).toBe(sent.id);
    expect(delivery?.message.topic).toBe(sent.topic);
    expect(delivery?.message.key).toBe(sent.key);
    expect(Buffer.from(delivery?.message.body ?? []).equals(Buffer.from(body))).toBe(true);
    expect(delivery?.partition).toBe(partitionOf('order-42', 8));
    expect(delivery?.deliveryAttempt).toBe(1);
  });

  it('declares durable quorum queues with a single active consumer, a delivery limit and a dead-letter route', async () => {
    const rabbit = transport({ partitions: 2 });
    const consumer = await rabbit.consume({
      group: 'topology',
      topics: ['stock.events'],
      concurrency: 1,
      handle: async () => undefined,
    });
    await consumer.stop();
    // Declaring the same queue passively-with-arguments succeeds only if the arguments match exactly.
    await withChannel(async (channel) => {
      for (const partition of [0, 1]) {
        await channel.assertQueue(names.partitionQueue('topology', 'stock.events', partition), {
          durable: true,
          arguments: {
            'x-queue-type': 'quorum',
            'x-single-active-consumer': true,
            'x-delivery-limit': 20,
            'x-dead-letter-exchange': names.deadLetterExchange,
            'x-dead-letter-routing-key': 'topology',
            'x-dead-letter-strategy': 'at-least-once',
            'x-overflow': 'reject-publish',
          },
        });
      }
      await channel.checkQueue(names.deadLetterQueue('topology'));
      await channel.checkExchange(names.topicExchange('stock.events'));
      await channel.checkExchange(names.deadLetterExchange);
    });
  });

  it('refuses to consume with queue arguments other than those the queues were declared with', async () => {
    const first = transport({ partitions: 2 });
    await (
      await first.consume({ group: 'mismatch', topics: ['t.events'], concurrency: 1, handle: async () => undefined })
    ).stop();
    const other = createRabbitMqTransport({ url: rabbitMqUrl, namePrefix: prefix, partitions: 2, deliveryLimit: 5 });
    transports.push(other);

    await expect(
      other.consume({ group: 'mismatch', topics: ['t.events'], concurrency: 1, handle: async () => undefined }),
    ).rejects.toThrow(/PRECONDITION_FAILED/);
    // Only the declaring channel failed; the connection goes on.
    await other.ping();
  });

  it('resolves publish only once every message is in its queue', async () => {
    const rabbit = transport({ partitions: 4 });
    // Subscribe once so the group's queues exist, then stop: the messages must wait in the queues.
    await (
      await rabbit.consume({ group: 'confirm', topics: ['fresh.topic'], concurrency: 1, handle: async () => undefined })
    ).stop();
    const messages = Array.from({ length: 200 }, (_, seq) => testMessage('fresh.topic', `key-${seq % 13}`, seq));

    await rabbit.publish(messages);

    const counts = await Promise.all(
      [0, 1, 2, 3].map((partition) => readyCount(names.partitionQueue('confirm', 'fresh.topic', partition))),
    );
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(200);
    for (const [partition, count] of counts.entries()) {
      expect(count).toBe(messages.filter((message) => partitionOf(message.key, 4) === partition).length);
    }

    const received = new Set<string>();
    const consumer = await rabbit.consume({
      group: 'confirm',
      topics: ['fresh.topic'],
      concurrency: 4,
      handle: async ({ message }) => void received.add(message.id),
    });
    await waitFor('all 200 messages', () => received.size === 200);
    await consumer.stop();
    expect([...received].sort()).toEqual(messages.map((message) => message.id).sort());
  });

  it('gives each consumer group its own copy of every message', async () => {
    const rabbit = transport({ partitions: 4 });
    const byGroup = new Map<string, number[]>([
      ['billing', []],
      ['shipping', []],
    ]);
    const consumers = await Promise.all(
      [...byGroup].map(([group, seen]) =>
        rabbit.consume({
          group,
          topics: ['payments.events'],
          concurrency: 2,
          handle: async ({ message }) => void seen.push(seqOf(message)),
        }),
      ),
    );
    await rabbit.publish(Array.from({ length: 50 }, (_, seq) => testMessage('payments.events', `p-${seq % 7}`, seq)));

    await waitFor('both groups', () => [...byGroup.values()].every((seen) => seen.length >= 50));
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    for (const seen of byGroup.values()) {
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, seq) => seq));
    }
  });

  it('consumes several topics in one consumer', async () => {
    const rabbit = transport({ partitions: 2 });
    const seen: string[] = [];
    const consumer = await rabbit.consume({
      group: 'multi',
      topics: ['a.events', 'b.events'],
      concurrency: 2,
      handle: async ({ message }) => void seen.push(`${message.topic}:${seqOf(message)}`),
    });
    await rabbit.publish([testMessage('a.events', 'k', 1), testMessage('b.events', 'k', 2)]);
    await waitFor('both topics', () => seen.length === 2);
    await consumer.stop();
    expect(seen.sort()).toEqual(['a.events:1', 'b.events:2']);
  });

  it('answers ping while connected and rejects it once closed', async () => {
    const rabbit = createRabbitMqTransport({ url: rabbitMqUrl, namePrefix: prefix });
    await rabbit.ping();
    await rabbit.close();
    await expect(rabbit.ping()).rejects.toThrow(/closed/);
    await expect(rabbit.publish([testMessage('x', 'k', 1)])).rejects.toThrow(/closed/);
  });

  it('rejects ping and publish when the broker cannot be reached', async () => {
    const rabbit = createRabbitMqTransport({ url: 'amqp://guest:guest@127.0.0.1:1', namePrefix: prefix });
    try {
      await expect(rabbit.ping()).rejects.toThrow();
      await expect(rabbit.publish([testMessage('x', 'k', 1)])).rejects.toThrow();
    } finally {
      await rabbit.close();
    }
  });

  it('refuses a consumer group name that could collide with another', async () => {
    const rabbit = transport();
    await expect(
      rabbit.consume({ group: 'a.b', topics: ['t'], concurrency: 1, handle: async () => undefined }),
    ).rejects.toThrow(/consumer group/);
  });
});
