import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newId } from '@talad/core';
import { createLogger, Registry } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { ConsumerGroup } from './consumer-group.ts';
import { createDeadLetterStore } from './dead-letters.ts';
import { encodeEnvelope } from './envelope.ts';
import { defineMessage } from './message-definition.ts';
import { createMessagingMetrics } from './metrics.ts';
import { migrateMessaging } from './migrations.ts';
import type { HandlingContext } from './producer.ts';
import { delay } from './testing/harness.ts';
import type { Delivery } from './transport.ts';

/**
 * The consumer runtime driven directly, without a broker, where a test needs to control exactly when
 * and how often a delivery arrives (the end-to-end scenarios are in the conformance suite).
 */
const ItemAdded = defineMessage({ type: 'shop.ItemAdded.v1', kind: 'event', schema: z.object({ n: z.int() }) });

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'consumer_group' });
  await migrateMessaging(db.pool);
  await db.pool.query('CREATE TABLE effects (message_id text NOT NULL, n integer NOT NULL)');
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE effects, inbox, dead_letters');
});
afterAll(async () => {
  await db.drop();
});

function group(options: { stopping?: AbortSignal; handlerDelayMs?: number; fail?: () => boolean } = {}): ConsumerGroup {
  const registry = new Registry();
  const consumer = new ConsumerGroup({
    service: 'warehouse',
    group: 'warehouse',
    pool: db.pool,
    metrics: createMessagingMetrics(registry, { read: async () => ({ depth: 0, lagSeconds: 0 }) }),
    logger: createLogger({ service: 'test', level: 'silent' }),
    deadLetters: createDeadLetterStore(db.pool),
    contexts: new WeakMap<object, HandlingContext>(),
    pending: new WeakMap(),
    retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 40 },
    onPublished: () => undefined,
    stopping: options.stopping ?? new AbortController().signal,
  });
  consumer.add({
    messages: [ItemAdded],
    handler: async (message, tx) => {
      await tx.query('INSERT INTO effects (message_id, n) VALUES ($1, $2)', [message.id, message.data.n]);
      if (options.handlerDelayMs) await delay(options.handlerDelayMs);
      if (options.fail?.()) throw new Error('handler failed');
    },
  });
  return consumer;
}

function delivery(n: number, id = newId()): Delivery {
  const body = encodeEnvelope({
    specversion: '1.0',
    id,
    source: '/talad/shop',
    type: ItemAdded.type,
    time: new Date().toISOString(),
    subject: 'item',
    datacontenttype: 'application/json',
    data: { n },
  });
  return { message: { id: newId(), topic: 'shop.events', key: 'item', body }, partition: 0, deliveryAttempt: 1 };
}

async function effectCount(): Promise<number> {
  const { rows } = await db.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM effects');
  return rows[0]?.count ?? -1;
}

describe('consumer group', () => {
  it('applies a message delivered several times at the very same moment once', async () => {
    const consumer = group({ handlerDelayMs: 100 });
    const same = delivery(1);

    await Promise.all([consumer.handle(same), consumer.handle(same), consumer.handle(same)]);

    expect(await effectCount()).toBe(1);
  });

  it('rejects (for redelivery) when even the dead letter cannot be written, and records it once it can', async () => {
    const consumer = group({ fail: () => true });
    const poison = delivery(666);
    await db.pool.query('ALTER TABLE dead_letters RENAME TO dead_letters_away');
    try {
      await expect(consumer.handle(poison)).rejects.toThrow(/dead_letters/);
    } finally {
      await db.pool.query('ALTER TABLE dead_letters_away RENAME TO dead_letters');
    }

    await consumer.handle(poison);

    const { rows } = await db.pool.query<{ attempts: number; failure: string }>(
      'SELECT attempts, failure FROM dead_letters',
    );
    expect(rows).toEqual([{ attempts: 3, failure: 'handler-failed' }]);
    expect(await effectCount()).toBe(0);
  });

  it('leaves a failing message to redelivery when stopped during a retry, without dead-lettering it', async () => {
    const stopping = new AbortController();
    const consumer = group({ stopping: stopping.signal, fail: () => true });

    const handling = consumer.handle(delivery(1));
    await delay(10);
    stopping.abort();

    await expect(handling).rejects.toThrow('handler failed');
    const { rows } = await db.pool.query('SELECT * FROM dead_letters');
    expect(rows).toEqual([]);
  });

  it('counts the same message failing again after a replay on its one dead-letter row', async () => {
    const consumer = group({ fail: () => true });
    const poison = delivery(666);

    await consumer.handle(poison);
    const [letter] = await createDeadLetterStore(db.pool).list();
    await createDeadLetterStore(db.pool).replay(letter?.id ?? '');
    await consumer.handle(poison);

    const letters = await createDeadLetterStore(db.pool).list({ state: 'all' });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ attempts: 6, replayedAt: null, replayCount: 1 });
  });
});
