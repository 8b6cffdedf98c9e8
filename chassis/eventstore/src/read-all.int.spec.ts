import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@talad/core';
import { withTransaction, type PoolClient } from '@talad/pg';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { append, migrateEventStore, readAll, subscribeToAll, type RecordedEvent } from './index.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'eventstore_global' });
  await migrateEventStore(db.pool);
});

afterAll(() => db.drop());

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** An open transaction driven step by step from the test. */
async function openTransaction(): Promise<{ tx: PoolClient; commit(): Promise<void> }> {
  const tx = await db.pool.connect();
  await tx.query('BEGIN');
  return {
    tx,
    commit: async () => {
      await tx.query('COMMIT');
      tx.release();
    },
  };
}

describe('the committed-only global order', () => {
  it('never skips an event whose transaction commits after a later-positioned one', async () => {
    const seen: RecordedEvent[] = [];
    const subscription = subscribeToAll(db.pool, {
      pollIntervalMs: 20,
      handle: async (events) => {
        seen.push(...events);
      },
    });
    try {
      const early = await openTransaction();
      const late = await openTransaction();
      const streamA = `race-${newId()}`;
      const streamB = `race-${newId()}`;
      // A takes the lower position, B the higher one; B commits first.
      const a = await append(early.tx, streamA, 0, [{ type: 'Happened', data: { by: 'A' } }]);
      const b = await append(late.tx, streamB, 0, [{ type: 'Happened', data: { by: 'B' } }]);
      expect(a.appended[0]!.position).toBeLessThan(b.appended[0]!.position);
      await late.commit();

      // A reader that trusted positions would now see B, move its cursor past A's position and never read A.
      const { rows: byPosition } = await db.pool.query<{ stream_id: string }>(
        'SELECT stream_id FROM events WHERE stream_id = ANY ($1) ORDER BY position',
        [[streamA, streamB]],
      );
      expect(byPosition.map((row) => row.stream_id)).toEqual([streamB]);
      // The committed-only reader holds B back while A's transaction is open.
      const whileOpen = await readAll(db.pool, {});
      expect(whileOpen.events.map((event) => event.streamId)).not.toContain(streamB);
      subscription.wake();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen.map((event) => event.streamId)).not.toContain(streamB);

      await early.commit();
      await eventually(() => seen.some((event) => event.streamId === streamB), 'B to be read');
      const order = seen.map((event) => event.streamId).filter((id) => id === streamA || id === streamB);
      expect(order).toEqual([streamA, streamB]);
    } finally {
      await subscription.stop();
    }
  });

  it('delivers every event exactly once while many writers commit in random order', async () => {
    const run = newId();
    const seen: RecordedEvent[] = [];
    const subscription = subscribeToAll(db.pool, {
      pollIntervalMs: 10,
      batchSize: 7,
      types: [`Wrote-${run}`],
      handle: async (events) => {
        seen.push(...events);
      },
    });
    try {
      const writers = Array.from({ length: 8 }, (_, writer) =>
        (async () => {
          for (let i = 0; i < 15; i++) {
            await withTransaction(db.pool, async (tx) => {
              await append(tx, `writer-${run}-${writer}-${i}`, 0, [
                { type: `Wrote-${run}`, data: { writer, i } },
                { type: `Wrote-${run}`, data: { writer, i, second: true } },
              ]);
              // Hold the transaction open for a random while, so commits overtake each other.
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
            });
          }
        })(),
      );
      await Promise.all(writers);
      const expected = 8 * 15 * 2;
      await eventually(() => seen.length >= expected, 'every event to be read');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toHaveLength(expected);
      expect(new Set(seen.map((event) => event.id)).size).toBe(expected);
      // Within a stream, versions arrive in order.
      const byStream = new Map<string, number[]>();
      for (const event of seen) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event.version]);
      for (const versions of byStream.values()) expect(versions).toEqual([1, 2]);
    } finally {
      await subscription.stop();
    }
  });

  it('pages with the cursor it returns, and filters by type', async () => {
    const type = `Paged-${newId()}`;
    for (let i = 0; i < 5; i++) await append(db.pool, `paged-${newId()}`, 0, [{ type, data: { i } }]);
    await eventually(async () => (await readAll(db.pool, { types: [type] })).events.length === 5, 'the events');
    const first = await readAll(db.pool, { types: [type], limit: 3 });
    const second = await readAll(db.pool, { types: [type], limit: 3, after: first.cursor });
    expect([...first.events, ...second.events].map((event) => (event.data as { i: number }).i)).toEqual([
      0, 1, 2, 3, 4,
    ]);
    const third = await readAll(db.pool, { types: [type], after: second.cursor });
    expect(third.events).toEqual([]);
    expect(third.cursor).toEqual(second.cursor);
  });
});
