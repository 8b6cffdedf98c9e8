import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@talad/core';
import { partitionOf, type Delivery, type TransportMessage } from '@talad/messaging';
import { delay, eventually } from '@talad/messaging/testing';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { LockNamespace, lockKey, unsignedKey } from './advisory-locks.ts';
import type { PostgresConsumer } from './log-consumer.ts';
import {
  createPostgresTransport,
  type PostgresTransport,
  type PostgresTransportOptions,
} from './postgres-transport.ts';

/** The message log transport on its own, below the outbox and inbox: what only this adapter promises. */
let db: TestDatabase;
const transports: PostgresTransport[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'message_log_transport' });
});
afterEach(async () => {
  await Promise.all(transports.splice(0).map((transport) => transport.close()));
});
afterAll(async () => {
  await db.drop();
});

function transport(options: Partial<PostgresTransportOptions> = {}): PostgresTransport {
  const created = createPostgresTransport({ url: db.url, rebalanceIntervalMs: 200, reconnectDelayMs: 500, ...options });
  transports.push(created);
  return created;
}

/** A topic no other test uses. */
function freshTopic(): string {
  return `t${randomBytes(4).toString('hex')}.events`;
}

function message(topic: string, key: string, text: string): TransportMessage {
  return { id: newId(), topic, key, body: new TextEncoder().encode(text) };
}

function textOf(delivery: Delivery): string {
  return new TextDecoder().decode(delivery.message.body);
}

/** Consumes into an array; `handle` may throw to reject. */
async function collect(
  from: PostgresTransport,
  topic: string,
  options: { group?: string; concurrency?: number; handle?: (delivery: Delivery) => Promise<void> } = {},
): Promise<{ consumer: PostgresConsumer; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const consumer = await from.consume({
    group: options.group ?? 'group',
    topics: [topic],
    concurrency: options.concurrency ?? 8,
    handle: async (delivery) => {
      await options.handle?.(delivery);
      deliveries.push(delivery);
    },
  });
  return { consumer, deliveries };
}

describe('PostgreSQL message log transport', () => {
  it('delivers the bytes unchanged, in the partition of the key', async () => {
    const log = transport();
    const topic = freshTopic();
    const { deliveries } = await collect(log, topic);
    const sent = message(topic, 'order-42', '{"hello":"world"}');

    await log.publish([sent]);

    await eventually(
      () => deliveries.length,
      (count) => count === 1,
    );
    expect(deliveries[0]).toMatchObject({
      message: { id: sent.id, topic, key: 'order-42' },
      partition: partitionOf('order-42', log.partitions),
      deliveryAttempt: 1,
    });
    expect(textOf(deliveries[0]!)).toBe('{"hello":"world"}');
    await expect(log.ping()).resolves.toBeUndefined();
  });

  it('starts a new group at now, and keeps its position across restarts', async () => {
    const log = transport();
    const topic = freshTopic();
    await log.publish([message(topic, 'k', 'before the group existed')]);

    const first = await collect(log, topic);
    await log.publish([message(topic, 'k', 'one'), message(topic, 'k', 'two')]);
    await eventually(
      () => first.deliveries.length,
      (count) => count === 2,
    );
    await first.consumer.stop();
    await log.publish([message(topic, 'k', 'three')]);

    const second = await collect(log, topic);
    await eventually(
      () => second.deliveries.length,
      (count) => count === 1,
    );
    await delay(300);
    expect(first.deliveries.map(textOf)).toEqual(['one', 'two']);
    expect(second.deliveries.map(textOf)).toEqual(['three']);
  });

  it('delivers a message whose NOTIFY was lost, by the backstop poll of an idle partition', async () => {
    const log = transport({ pollIntervalMs: 100, maxPollIntervalMs: 400 });
    const topic = freshTopic();
    const { deliveries } = await collect(log, topic);
    await log.publish([message(topic, 'k', 'woken')]);
    await eventually(
      () => deliveries.length,
      (count) => count === 1,
    );
    // Long enough for the idle partition's polls to back off to their longest interval.
    await delay(1_500);

    // As a publisher that died between its commit and its NOTIFY leaves it: committed, nobody woken.
    const lost = message(topic, 'k', 'not announced');
    await db.pool.query('INSERT INTO message_log (topic, partition, id, key, body) VALUES ($1, $2, $3, $4, $5)', [
      topic,
      partitionOf('k', log.partitions),
      lost.id,
      lost.key,
      Buffer.from(lost.body),
    ]);

    await eventually(
      () => deliveries.length,
      (count) => count === 2,
      { timeoutMs: 3_000, what: 'the unannounced message' },
    );
    expect(deliveries.map(textOf)).toEqual(['woken', 'not announced']);
  });

  it('stores a message id published twice to a topic once', async () => {
    const log = transport();
    const topic = freshTopic();
    const { deliveries } = await collect(log, topic);
    const sent = message(topic, 'k', 'once');

    await log.publish([sent]);
    await log.publish([sent, message(topic, 'k', 'after')]);

    await eventually(
      () => deliveries.length,
      (count) => count === 2,
    );
    await delay(300);
    expect(deliveries.map(textOf)).toEqual(['once', 'after']);
  });

  it('redelivers a rejected message before anything later in its partition, while other partitions flow', async () => {
    const log = transport({ redeliveryDelayMs: 50 });
    const topic = freshTopic();
    const attempts: number[] = [];
    const { deliveries } = await collect(log, topic, {
      handle: async (delivery) => {
        if (textOf(delivery) !== 'flaky') return;
        attempts.push(delivery.deliveryAttempt);
        if (delivery.deliveryAttempt < 3) throw new Error('not yet');
      },
    });
    const other = ['a', 'b', 'c', 'd', 'e'].find(
      (key) => partitionOf(key, log.partitions) !== partitionOf('k', log.partitions),
    )!;

    await log.publish([message(topic, 'k', 'flaky'), message(topic, 'k', 'later'), message(topic, other, 'elsewhere')]);

    await eventually(
      () => deliveries.length,
      (count) => count === 3,
    );
    expect(attempts).toEqual([1, 2, 3]);
    const order = deliveries.map(textOf);
    expect(order.indexOf('flaky')).toBeLessThan(order.indexOf('later'));
    expect(order.indexOf('elsewhere')).toBeLessThan(order.indexOf('flaky'));
  });

  it('never skips a message when many publishers write to one partition at once', async () => {
    const topic = freshTopic();
    const reader = transport();
    const { deliveries } = await collect(reader, topic);
    const publishers = Array.from({ length: 6 }, () => transport({ poolSize: 2 }));
    const perPublisher = 60;

    // One key, so one partition; each publisher publishes its messages one by one, all at once.
    await Promise.all(
      publishers.map(async (publisher, index) => {
        for (let n = 0; n < perPublisher; n++) await publisher.publish([message(topic, 'hot-key', `${index}:${n}`)]);
      }),
    );

    await eventually(
      () => deliveries.length,
      (count) => count >= publishers.length * perPublisher,
      {
        what: 'every message',
      },
    );
    await delay(300);
    const texts = deliveries.map(textOf);
    expect(new Set(texts).size).toBe(publishers.length * perPublisher);
    expect(texts).toHaveLength(publishers.length * perPublisher);
    for (let index = 0; index < publishers.length; index++) {
      const mine = texts.filter((text) => text.startsWith(`${index}:`)).map((text) => Number(text.split(':')[1]));
      expect(mine).toEqual(Array.from({ length: perPublisher }, (_, n) => n));
    }
  });

  it('handles at most `concurrency` messages at once, across partitions', async () => {
    const log = transport();
    const topic = freshTopic();
    let inFlight = 0;
    let most = 0;
    const { deliveries } = await collect(log, topic, {
      concurrency: 2,
      handle: async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await delay(20);
        inFlight -= 1;
      },
    });

    await log.publish(Array.from({ length: 40 }, (_, index) => message(topic, `key-${index}`, `${index}`)));

    await eventually(
      () => deliveries.length,
      (count) => count === 40,
    );
    expect(most).toBe(2);
  });

  it('spreads partitions evenly over a group’s instances and moves them when one dies', async () => {
    const topic = freshTopic();
    const group = `group-${randomBytes(3).toString('hex')}`;
    const first = await collect(transport(), topic, { group });
    expect(first.consumer.owned()).toHaveLength(8);
    const second = await collect(transport(), topic, { group });
    const shares = (): number[] => [first.consumer.owned().length, second.consumer.owned().length];
    await eventually(shares, (owned) => owned[0] === 4 && owned[1] === 4, { what: 'an even split' });
    expect(new Set([...first.consumer.owned(), ...second.consumer.owned()]).size).toBe(8);

    // The first instance's session dies (as when its process is killed): its locks go with it.
    const firstKeys = first.consumer
      .owned()
      .map((unit) => unsignedKey(lockKey(group, topic, Number(unit.split('/').pop()))));
    const killed = await db.pool.query(
      `SELECT pg_terminate_backend(pid) FROM (
         SELECT DISTINCT pid FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND classid = $1::int8::oid AND objid = ANY($2::int8[]::oid[])
       ) holders`,
      [unsignedKey(LockNamespace.partition), firstKeys],
    );
    expect(killed.rowCount).toBe(1);
    await eventually(
      () => second.consumer.owned().length,
      (owned) => owned === 8,
      {
        what: 'the survivor to take every partition',
      },
    );

    const log = transport();
    const keys = Array.from({ length: 30 }, (_, index) => `key-${index}`);
    await log.publish(keys.map((key) => message(topic, key, key)));
    await eventually(
      () => new Set([...first.deliveries, ...second.deliveries].map(textOf)).size,
      (count) => count === keys.length,
      { what: 'every message after the failover' },
    );
    // The first instance reconnects and gets its share back.
    await eventually(shares, (owned) => owned[0] === 4 && owned[1] === 4, { what: 'an even split again' });
  });

  it('deletes messages every group has passed once they are past the retention, and keeps the rest', async () => {
    const log = transport({ retentionMs: 0 });
    const topic = freshTopic();
    const fast = await collect(log, topic, { group: 'fast' });
    const stuck = await collect(log, topic, {
      group: 'stuck',
      handle: async (delivery) => {
        if (delivery.message.key === 'blocked') throw new Error('stuck');
      },
    });
    await log.publish([message(topic, 'free', 'a'), message(topic, 'blocked', 'b')]);
    await eventually(
      () => fast.deliveries.length,
      (count) => count === 2,
    );
    await eventually(
      () => stuck.deliveries.length,
      (count) => count === 1,
    );
    await stuck.consumer.stop();

    // A group's position is saved with its next read of the partition, at the latest at the backstop poll.
    const kept = await eventually(
      async () => {
        await log.cleanup();
        const { rows } = await db.pool.query<{ key: string }>('SELECT key FROM message_log WHERE topic = $1', [topic]);
        return rows.map((row) => row.key);
      },
      (keys) => keys.length < 2,
      { what: 'a cleanup past the fast group', timeoutMs: 5_000 },
    );
    expect(kept).toEqual(['blocked']);
  });

  it('refuses to run with a different number of partitions than the log was created with', async () => {
    await transport().publish([message(freshTopic(), 'k', 'x')]);
    await expect(transport({ partitions: 3 }).publish([message(freshTopic(), 'k', 'x')])).rejects.toThrow(
      /created with 8 partitions/,
    );
  });
});
