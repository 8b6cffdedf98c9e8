import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { manualClock } from '@talad/core';
import { withTransaction, type Queryable } from '@talad/pg';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { decodeEnvelope } from './envelope.ts';
import { defineMessage } from './message-definition.ts';
import { migrateMessaging } from './migrations.ts';
import { createProducer, MessageSchemaError, type HandlingContext } from './producer.ts';

/** Writing to the outbox: envelopes, schema checks and transactions, on a real database. */
const OrderPlaced = defineMessage({
  type: 'ordering.OrderPlaced.v1',
  kind: 'event',
  schema: z.object({ orderId: z.string(), lines: z.int().positive() }),
});
const ReserveStock = defineMessage({
  type: 'inventory.ReserveStock.v1',
  kind: 'command',
  schema: z.object({ orderId: z.string() }),
});

let db: TestDatabase;
let committedWakeUps = 0;
const contexts = new WeakMap<Queryable, HandlingContext>();
const clock = manualClock(new Date('2026-03-01T10:00:00Z'));
const producer = createProducer({ service: 'ordering', clock, contexts, onCommitted: () => (committedWakeUps += 1) });

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'producer' });
  await migrateMessaging(db.pool);
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE outbox');
  committedWakeUps = 0;
});
afterAll(async () => {
  await db.drop();
});

async function outbox(): Promise<Array<{ id: string; topic: string; key: string; type: string; body: Buffer }>> {
  const { rows } = await db.pool.query<{ id: string; topic: string; key: string; type: string; body: Buffer }>(
    'SELECT id, topic, key, type, body FROM outbox ORDER BY seq',
  );
  return rows;
}

describe('producer', () => {
  it('writes a CloudEvent to the outbox in the caller’s transaction', async () => {
    const id = await withTransaction(db.pool, (tx) =>
      producer.publish(tx, OrderPlaced, { orderId: 'o-1', lines: 2 }, { key: 'o-1' }),
    );

    const [row] = await outbox();
    expect(row).toMatchObject({ id, topic: 'ordering.events', key: 'o-1', type: 'ordering.OrderPlaced.v1' });
    const decoded = decodeEnvelope(row!.body);
    expect(decoded.ok && decoded.envelope).toEqual({
      specversion: '1.0',
      id,
      source: '/talad/ordering',
      type: 'ordering.OrderPlaced.v1',
      time: '2026-03-01T10:00:00.000Z',
      subject: 'o-1',
      datacontenttype: 'application/json',
      data: { orderId: 'o-1', lines: 2 },
      correlationid: id,
    });
  });

  it('writes nothing when the transaction rolls back', async () => {
    await expect(
      withTransaction(db.pool, async (tx) => {
        await producer.publish(tx, OrderPlaced, { orderId: 'o-1', lines: 2 }, { key: 'o-1' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await outbox()).toEqual([]);
  });

  it('refuses data that does not match the schema, failing the transaction', async () => {
    await expect(
      withTransaction(db.pool, (tx) => producer.publish(tx, OrderPlaced, { orderId: 'o-1', lines: 0 }, { key: 'o-1' })),
    ).rejects.toBeInstanceOf(MessageSchemaError);
    expect(await outbox()).toEqual([]);
  });

  it('sends commands to the owner’s commands topic with this service’s reply topic', async () => {
    await withTransaction(db.pool, (tx) => producer.send(tx, ReserveStock, { orderId: 'o-1' }, { key: 'o-1' }));
    const [row] = await outbox();
    expect(row?.topic).toBe('inventory.commands');
    const decoded = decodeEnvelope(row!.body);
    expect(decoded.ok && decoded.envelope.replyto).toBe('ordering.replies');
  });

  it('refuses a message of the wrong kind for the call', async () => {
    await expect(
      withTransaction(db.pool, (tx) =>
        // @ts-expect-error a command cannot be published as an event
        producer.publish(tx, ReserveStock, { orderId: 'o-1' }, { key: 'o-1' }),
      ),
    ).rejects.toThrow(/is a command; publish\(\) takes events/);
  });

  it('inherits the conversation of the message being handled on the same connection', async () => {
    await withTransaction(db.pool, async (tx) => {
      const handling: HandlingContext = { messageId: 'incoming-1', correlationId: 'saga-9' };
      contexts.set(tx, handling);
      await producer.publish(tx, OrderPlaced, { orderId: 'o-1', lines: 1 }, { key: 'o-1' });
      contexts.delete(tx);
    });
    const decoded = decodeEnvelope((await outbox())[0]!.body);
    expect(decoded.ok && decoded.envelope).toMatchObject({ correlationid: 'saga-9', causationid: 'incoming-1' });
  });

  it('wakes the relay at once for a write that commits by itself (through the pool)', async () => {
    await producer.publish(db.pool, OrderPlaced, { orderId: 'o-2', lines: 1 }, { key: 'o-2' });
    expect(committedWakeUps).toBe(1);
    await withTransaction(db.pool, (tx) =>
      producer.publish(tx, OrderPlaced, { orderId: 'o-3', lines: 1 }, { key: 'o-3' }),
    );
    expect(committedWakeUps).toBe(1);
  });
});
