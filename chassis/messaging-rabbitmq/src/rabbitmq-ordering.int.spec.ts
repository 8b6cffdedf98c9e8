import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { partitionOf, type Consumer, type Transport, type TransportMessage } from '@talad/messaging';
import { createRabbitMqTransport } from './rabbitmq-transport.ts';
import { deleteTopology, rabbitMqUrl, readyCount, seqOf, testMessage, uniqueName, waitFor } from './test-broker.ts';
import { topologyNames } from './topology.ts';

const prefix = uniqueName('ordering');
const names = topologyNames(prefix);
const transports: Transport[] = [];

function transport(): Transport {
  const created = createRabbitMqTransport({ url: rabbitMqUrl, namePrefix: prefix, partitions: 4, retryDelayMs: 50 });
  transports.push(created);
  return created;
}

afterAll(async () => {
  await Promise.all(transports.map((each) => each.close()));
  await deleteTopology(prefix);
});

/** Keys × messages per key, interleaved across keys the way an outbox relay would publish them. */
function interleaved(topic: string, keys: number, perKey: number): TransportMessage[] {
  const messages: TransportMessage[] = [];
  for (let seq = 0; seq < perKey; seq++) {
    for (let key = 0; key < keys; key++) messages.push(testMessage(topic, `key-${key}`, seq));
  }
  return messages;
}

describe('RabbitMQ transport ordering and delivery', () => {
  it('has two instances of a group handle every message once, each key in publish order, across a handover', async () => {
    const instances = [transport(), transport()];
    const perKey = new Map<string, number[]>();
    const timesSeen = new Map<string, number>();
    const handledBy = [0, 0];
    const consumers: Consumer[] = await Promise.all(
      instances.map((instance, index) =>
        instance.consume({
          group: 'shipping',
          topics: ['orders.events'],
          concurrency: 4,
          handle: async ({ message }) => {
            timesSeen.set(message.id, (timesSeen.get(message.id) ?? 0) + 1);
            perKey.set(message.key, [...(perKey.get(message.key) ?? []), seqOf(message)]);
            handledBy[index] = (handledBy[index] ?? 0) + 1;
            if (Math.random() < 0.1) await sleep(1);
          },
        }),
      ),
    );
    const messages = interleaved('orders.events', 20, 50);
    for (let start = 0; start < messages.length; start += 100) {
      await instances[0]?.publish(messages.slice(start, start + 100));
    }

    // Stop whichever instance is doing the work: the other must take its partitions over.
    await waitFor('the first 300 messages', () => timesSeen.size >= 300);
    const busier = (handledBy[0] ?? 0) >= (handledBy[1] ?? 0) ? 0 : 1;
    await consumers[busier]?.stop();
    const standby = 1 - busier;
    await waitFor('all 1000 messages', () => timesSeen.size === 1000, 60_000);
    await consumers[standby]?.stop();

    expect([...timesSeen.values()].every((times) => times === 1)).toBe(true);
    expect(handledBy[standby]).toBeGreaterThan(0);
    for (let key = 0; key < 20; key++) {
      expect(perKey.get(`key-${key}`)).toEqual(Array.from({ length: 50 }, (_, seq) => seq));
    }
  });

  it('redelivers a rejected message before the later messages of its partition, counting attempts', async () => {
    const rabbit = transport();
    const attempts: Array<[number, number]> = [];
    const consumer = await rabbit.consume({
      group: 'retry',
      topics: ['payments.events'],
      concurrency: 4,
      handle: async ({ message, deliveryAttempt }) => {
        attempts.push([seqOf(message), deliveryAttempt]);
        if (seqOf(message) === 0 && deliveryAttempt < 3) throw new Error('transient failure');
      },
    });
    await rabbit.publish([0, 1, 2, 3, 4].map((seq) => testMessage('payments.events', 'payment-7', seq)));

    await waitFor('the last message', () => attempts.some(([seq]) => seq === 4));
    await consumer.stop();
    expect(attempts).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
    ]);
  });

  it('runs partitions concurrently up to the limit, never two messages of one partition at once', async () => {
    const rabbit = transport();
    const running = new Map<number, number>();
    let runningNow = 0;
    let mostAtOnce = 0;
    let handled = 0;
    let overlapInPartition = false;
    const consumer = await rabbit.consume({
      group: 'concurrency',
      topics: ['stock.events'],
      concurrency: 2,
      handle: async ({ partition }) => {
        runningNow++;
        mostAtOnce = Math.max(mostAtOnce, runningNow);
        running.set(partition, (running.get(partition) ?? 0) + 1);
        if ((running.get(partition) ?? 0) > 1) overlapInPartition = true;
        await sleep(5);
        running.set(partition, (running.get(partition) ?? 0) - 1);
        runningNow--;
        handled++;
      },
    });
    const messages = interleaved('stock.events', 16, 10);
    expect(new Set(messages.map((message) => partitionOf(message.key, 4))).size).toBe(4);
    await rabbit.publish(messages);

    await waitFor('every message', () => handled === messages.length);
    await consumer.stop();
    expect(mostAtOnce).toBe(2);
    expect(overlapInPartition).toBe(false);
  });

  it('stop waits for the handler in flight, acknowledges it and takes nothing new', async () => {
    const rabbit = transport();
    let started = 0;
    let finished = 0;
    const consumer = await rabbit.consume({
      group: 'graceful',
      topics: ['basket.events'],
      concurrency: 1,
      handle: async () => {
        started++;
        await sleep(500);
        finished++;
      },
    });
    await rabbit.publish([testMessage('basket.events', 'basket-1', 0), testMessage('basket.events', 'basket-1', 1)]);
    await waitFor('the first handler to start', () => started === 1);

    const stopping = consumer.stop();
    await sleep(100);
    expect(finished).toBe(0);
    await stopping;

    expect([started, finished]).toEqual([1, 1]);
    // The first was acknowledged; the second went back to the queue, unhandled.
    const queue = names.partitionQueue('graceful', 'basket.events', partitionOf('basket-1', 4));
    expect(await readyCount(queue)).toBe(1);

    const after: number[] = [];
    const next = await rabbit.consume({
      group: 'graceful',
      topics: ['basket.events'],
      concurrency: 1,
      handle: async ({ message }) => void after.push(seqOf(message)),
    });
    await waitFor('the second message', () => after.length === 1);
    await sleep(200);
    await next.stop();
    expect(after).toEqual([1]);
  });
});
