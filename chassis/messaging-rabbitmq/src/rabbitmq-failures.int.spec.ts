import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { partitionOf, type Transport, type TransportMessage } from '@talad/messaging';
import { KEY_HEADER } from './message-codec.ts';
import { createRabbitMqTransport, type RabbitMqTransportOptions } from './rabbitmq-transport.ts';
import {
  deleteTopology,
  forceCloseConnections,
  proxyTo,
  rabbitMqUrl,
  readyCount,
  seqOf,
  testMessage,
  uniqueName,
  waitFor,
  withChannel,
} from './test-broker.ts';
import { topologyNames } from './topology.ts';

const prefix = uniqueName('failures');
const names = topologyNames(prefix);
const transports: Transport[] = [];

function transport(options: Partial<RabbitMqTransportOptions> = {}): Transport {
  const created = createRabbitMqTransport({
    url: rabbitMqUrl,
    namePrefix: prefix,
    partitions: 4,
    retryDelayMs: 20,
    ...options,
  });
  transports.push(created);
  return created;
}

afterAll(async () => {
  await Promise.all(transports.map((each) => each.close()));
  await deleteTopology(prefix);
});

describe('RabbitMQ transport under failures', () => {
  it('hands a message that an instance never acknowledged to another instance when the first one dies', async () => {
    const doomed = transport({ connectionName: `${prefix}-doomed` });
    const survivor = transport({ connectionName: `${prefix}-survivor` });
    let releaseDoomed: () => void = () => undefined;
    const doomedSaw: string[] = [];
    const doomedConsumer = await doomed.consume({
      group: 'crash',
      topics: ['orders.events'],
      concurrency: 1,
      handle: async ({ message }) => {
        doomedSaw.push(message.id);
        await new Promise<void>((resolve) => (releaseDoomed = resolve));
      },
    });
    const message = testMessage('orders.events', 'order-1', 0);
    await survivor.publish([message]);
    await waitFor('the first instance to take the message', () => doomedSaw.length === 1);

    const survivorSaw: Array<[string, number]> = [];
    const survivorConsumer = await survivor.consume({
      group: 'crash',
      topics: ['orders.events'],
      concurrency: 1,
      handle: async (delivery) => void survivorSaw.push([delivery.message.id, delivery.deliveryAttempt]),
    });
    await sleep(300);
    expect(survivorSaw).toEqual([]); // a standby while the first instance holds the partition

    // The broker drops the first instance's connection, as if its process had been killed.
    expect(await forceCloseConnections(`${prefix}-doomed`)).toBe(1);
    await waitFor('the survivor to get the message', () => survivorSaw.length === 1);
    expect(survivorSaw[0]?.[0]).toBe(message.id);
    expect(survivorSaw[0]?.[1]).toBeGreaterThanOrEqual(2);

    // The dead instance's handler finishing late must not acknowledge anything.
    releaseDoomed();
    await doomedConsumer.stop();
    await survivorConsumer.stop();
    expect(doomedSaw).toEqual([message.id]);
    expect(survivorSaw).toHaveLength(1);
    expect(await readyCount(names.partitionQueue('crash', 'orders.events', partitionOf('order-1', 4)))).toBe(0);
  });

  it('dead-letters a message that keeps failing, after the delivery limit, and lets the rest flow', async () => {
    const rabbit = transport({ deliveryLimit: 2 });
    const poisonAttempts: number[] = [];
    const handled: string[] = [];
    const consumer = await rabbit.consume({
      group: 'poison',
      topics: ['inventory.commands'],
      concurrency: 2,
      handle: async ({ message, deliveryAttempt }) => {
        if (message.key === 'poison') {
          poisonAttempts.push(deliveryAttempt);
          throw new Error('cannot handle this one, ever');
        }
        handled.push(`${message.key}:${seqOf(message)}`);
      },
    });
    const poison = testMessage('inventory.commands', 'poison', 0);
    // A key sharing the poison message's partition, and one in another partition.
    const sameKey = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].find(
      (key) => partitionOf(key, 4) === partitionOf('poison', 4),
    );
    const otherKey = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].find(
      (key) => partitionOf(key, 4) !== partitionOf('poison', 4),
    );
    if (!sameKey || !otherKey) throw new Error('no keys to test with');
    const later: TransportMessage[] = [0, 1, 2].flatMap((seq) => [
      testMessage('inventory.commands', sameKey, seq),
      testMessage('inventory.commands', otherKey, seq),
    ]);
    await rabbit.publish([poison, ...later]);

    await waitFor('the healthy messages', () => handled.length === 6);
    await consumer.stop();
    expect(poisonAttempts).toEqual([1, 2, 3]);
    expect(handled.filter((entry) => entry.startsWith(`${sameKey}:`))).toEqual(
      [0, 1, 2].map((seq) => `${sameKey}:${seq}`),
    );

    const deadLetter = await withChannel(async (channel) => {
      await waitFor('DLQ', async () => (await channel.checkQueue(names.deadLetterQueue('poison'))).messageCount === 1);
      const got = await channel.get(names.deadLetterQueue('poison'), { noAck: true });
      return got === false ? undefined : got;
    });
    expect(deadLetter?.properties.messageId).toBe(poison.id);
    expect(deadLetter?.properties.headers?.[KEY_HEADER]).toBe('poison');
    // Rejected by the consumer once its deliveries (the broker's and its own retries) passed the limit.
    expect(deadLetter?.properties.headers?.['x-first-death-reason']).toBe('rejected');
    expect(deadLetter?.content.toString()).toBe(Buffer.from(poison.body).toString());
  });

  it('rejects publishing while the broker is unreachable, reconnects by itself, and loses nothing', async () => {
    const { proxy, url } = await proxyTo(rabbitMqUrl);
    const consuming = transport({ url, connectionName: `${prefix}-consumer` });
    const publishing = transport({ url, connectionName: `${prefix}-publisher` });
    const seqsByKey = new Map<string, number[]>();
    const received = new Set<string>();
    const consumer = await consuming.consume({
      group: 'reconnect',
      topics: ['ordering.events'],
      concurrency: 4,
      handle: async ({ message }) => {
        received.add(message.id);
        seqsByKey.set(message.key, [...(seqsByKey.get(message.key) ?? []), seqOf(message)]);
        await sleep(1);
      },
    });
    const messages: TransportMessage[] = [];
    for (let seq = 0; seq < 60; seq++) {
      for (let key = 0; key < 10; key++) messages.push(testMessage('ordering.events', `order-${key}`, seq));
    }

    // Publish as the outbox relay does: a batch at a time, the same batch again until it is confirmed.
    let failedPublishes = 0;
    let confirmedBatches = 0;
    const relay = (async () => {
      for (let start = 0; start < messages.length; start += 20) {
        for (;;) {
          try {
            await publishing.publish(messages.slice(start, start + 20));
            confirmedBatches++;
            break;
          } catch {
            failedPublishes++;
            await sleep(50);
          }
        }
        await sleep(30);
      }
    })();

    try {
      // Cut while the relay still has most of its batches to go, and the consumer is busy.
      await waitFor('the first batches', () => confirmedBatches >= 8 && received.size > 0);
      proxy.cut();
      await expect(publishing.ping()).rejects.toThrow();
      await expect(publishing.publish([testMessage('ordering.events', 'probe', 0)])).rejects.toThrow();
      await sleep(1_000);
      proxy.restore();
      await waitFor('messages after the network came back', () => received.size >= 350);
      // And once more from the broker's side, the consumer alone.
      expect(await forceCloseConnections(`${prefix}-consumer`)).toBe(1);
      await relay;
      await waitFor('every message', () => messages.every((message) => received.has(message.id)), 60_000);
    } finally {
      await relay.catch(() => undefined);
      await consumer.stop();
      await publishing.ping();
      await proxy.close();
    }
    expect(failedPublishes).toBeGreaterThan(0);
    for (let key = 0; key < 10; key++) {
      const seqs = seqsByKey.get(`order-${key}`) ?? [];
      // Redelivery after a cut may repeat messages handled but not yet acknowledged (the inbox drops
      // them), never one the key had not reached: first deliveries are in publish order, none missing.
      const firstSeen = seqs.filter((seq, index) => seqs.indexOf(seq) === index);
      expect(firstSeen).toEqual(Array.from({ length: 60 }, (_, seq) => seq));
      // A repeat goes back at most one acknowledgement's run of messages.
      expect(seqs.every((seq, index) => seq >= Math.max(0, ...seqs.slice(0, index)) - 16)).toBe(true);
    }
  });
});
