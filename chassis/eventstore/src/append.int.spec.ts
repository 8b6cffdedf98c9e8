import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@talad/core';
import { withTransaction } from '@talad/pg';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { append, ConcurrencyError, DuplicateEventError, migrateEventStore, readStream } from './index.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'eventstore_append' });
  await migrateEventStore(db.pool);
});

afterAll(() => db.drop());

type CounterEvent = { type: 'Incremented'; data: { by: number } } | { type: 'Reset'; data: Record<string, never> };

describe('append and readStream', () => {
  it('appends to a new stream at version 0 and reads the events back in order', async () => {
    const stream = `counter-${newId()}`;
    const first = await append(db.pool, stream, 0, [
      { type: 'Incremented', data: { by: 2 }, metadata: { correlationId: 'c-1' } },
      { type: 'Incremented', data: { by: 3 } },
    ]);
    expect(first.nextExpectedVersion).toBe(2);
    await append(db.pool, stream, 2, [{ type: 'Reset', data: {} }]);

    const read = await readStream<CounterEvent>(db.pool, stream);
    expect(read.version).toBe(3);
    expect(read.events.map((event) => [event.version, event.type])).toEqual([
      [1, 'Incremented'],
      [2, 'Incremented'],
      [3, 'Reset'],
    ]);
    expect(read.events[0]).toMatchObject({ streamId: stream, data: { by: 2 }, metadata: { correlationId: 'c-1' } });
    expect(read.events[0]!.position).toBeLessThan(read.events[1]!.position);
  });

  it('reads a stream that does not exist as empty at version 0', async () => {
    const read = await readStream(db.pool, `counter-${newId()}`);
    expect(read).toMatchObject({ version: 0, events: [] });
  });

  it('refuses an append at a stale expected version, saying where the stream is', async () => {
    const stream = `counter-${newId()}`;
    await append(db.pool, stream, 0, [{ type: 'Incremented', data: { by: 1 } }]);
    const refused = append(db.pool, stream, 0, [{ type: 'Incremented', data: { by: 1 } }]);
    await expect(refused).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(refused).rejects.toMatchObject({
      actualVersion: 1,
      expectedVersion: 0,
      code: 'EVENTSTORE_CONCURRENCY_CONFLICT',
    });
    expect((await readStream(db.pool, stream)).version).toBe(1);
  });

  it('lets exactly one of two concurrent appends with the same expected version win', async () => {
    const stream = `counter-${newId()}`;
    await append(db.pool, stream, 0, [{ type: 'Incremented', data: { by: 1 } }]);
    // Both writers read version 1 and append before either commits: the second waits on the first.
    const writer = (by: number) =>
      withTransaction(db.pool, async (tx) => {
        await append(tx, stream, 1, [{ type: 'Incremented', data: { by } }]);
        await new Promise((resolve) => setTimeout(resolve, 50));
      });
    const results = await Promise.allSettled([writer(10), writer(20), writer(30)]);
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result) => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    for (const result of lost) expect(result.reason).toBeInstanceOf(ConcurrencyError);
    const read = await readStream<CounterEvent>(db.pool, stream);
    expect(read.events.map((event) => event.version)).toEqual([1, 2]);
  });

  it('refuses the same event id twice', async () => {
    const id = newId();
    await append(db.pool, `counter-${newId()}`, 0, [{ id, type: 'Incremented', data: { by: 1 } }]);
    await expect(
      append(db.pool, `counter-${newId()}`, 0, [{ id, type: 'Incremented', data: { by: 1 } }]),
    ).rejects.toBeInstanceOf(DuplicateEventError);
  });

  it('rolls the events back with the transaction that appended them', async () => {
    const stream = `counter-${newId()}`;
    await expect(
      withTransaction(db.pool, async (tx) => {
        await append(tx, stream, 0, [{ type: 'Incremented', data: { by: 1 } }]);
        throw new Error('the rest of the change failed');
      }),
    ).rejects.toThrow('the rest of the change failed');
    expect((await readStream(db.pool, stream)).version).toBe(0);
  });
});
