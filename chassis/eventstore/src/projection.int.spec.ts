import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@talad/core';
import type { Pool, PoolClient } from '@talad/pg';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import {
  append,
  catchUp,
  checkpointOf,
  migrateEventStore,
  projectBatch,
  rebuildProjection,
  startProjection,
  type Projection,
  type RecordedEvent,
} from './index.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'eventstore_projection' });
  await migrateEventStore(db.pool);
});

afterAll(() => db.drop());

/**
 * Account balances: every deposit adds to a row, so an event applied twice shows as a wrong balance.
 * The read model table is named after the projection, so two projections of the same events can be
 * compared row by row.
 */
function balances(table: string, type: string): Projection {
  return {
    name: table,
    types: [type],
    apply: async (tx: PoolClient, event: RecordedEvent) => {
      const { amount } = event.data as { amount: number };
      await tx.query(
        `INSERT INTO ${table} (account, balance, deposits) VALUES ($1, $2, 1)
         ON CONFLICT (account) DO UPDATE SET balance = ${table}.balance + excluded.balance, deposits = ${table}.deposits + 1`,
        [event.streamId, amount],
      );
    },
    reset: async (tx: PoolClient) => {
      await tx.query(`TRUNCATE ${table}`);
    },
  };
}

async function createReadModel(pool: Pool, table: string): Promise<void> {
  await pool.query(
    `CREATE TABLE ${table} (account text PRIMARY KEY, balance bigint NOT NULL, deposits integer NOT NULL)`,
  );
}

async function readModel(
  pool: Pool,
  table: string,
): Promise<Array<{ account: string; balance: number; deposits: number }>> {
  const { rows } = await pool.query<{ account: string; balance: number; deposits: number }>(
    `SELECT account, balance, deposits FROM ${table} ORDER BY account`,
  );
  return rows;
}

/**
 * Catches up until `done` holds. One catch-up can stop short: events of a transaction that started
 * before another one still open on the server (another test's) are not visible to readers yet.
 */
async function catchUpUntil(projection: Projection, done: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    await catchUp(db.pool, projection);
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function deposit(type: string, account: string, version: number, amount: number): Promise<void> {
  await append(db.pool, account, version, [{ type, data: { amount } }]);
}

describe('projections', () => {
  it('applies each event once however often the events are replayed, by runners at once or one after another', async () => {
    const type = `Deposited-${newId()}`;
    const table = `balances_replay_${Date.now().toString(36)}`;
    await createReadModel(db.pool, table);
    const projection = balances(table, type);
    const expected: Array<{ account: string; balance: number; deposits: number }> = [];
    for (let account = 0; account < 10; account++) {
      const id = `account-${type}-${account}`;
      let balance = 0;
      for (let version = 0; version < 6; version++) {
        await deposit(type, id, version, account * 100 + version);
        balance += account * 100 + version;
      }
      expected.push({ account: id, balance, deposits: 6 });
    }
    expected.sort((a, b) => (a.account < b.account ? -1 : 1));

    const complete = async () => (await readModel(db.pool, table)).reduce((sum, row) => sum + row.deposits, 0) === 60;
    // Five runners replay the same events at once, in small batches.
    await Promise.all(Array.from({ length: 5 }, () => catchUp(db.pool, projection, { batchSize: 4 })));
    await catchUpUntil(projection, complete);
    expect(await readModel(db.pool, table)).toEqual(expected);
    // And again, and again: nothing new is applied.
    for (let round = 0; round < 3; round++) expect(await catchUp(db.pool, projection)).toBe(0);
    expect(await readModel(db.pool, table)).toEqual(expected);
    // Rebuilt from scratch many times: the same result each time.
    for (let round = 0; round < 3; round++) {
      await rebuildProjection(db.pool, projection, { batchSize: 7 });
      await catchUpUntil(projection, complete);
      expect(await readModel(db.pool, table)).toEqual(expected);
    }
  });

  it('keeps its checkpoint with the read model: a failing batch leaves both where they were', async () => {
    const type = `Deposited-${newId()}`;
    const table = `balances_failing_${Date.now().toString(36)}`;
    await createReadModel(db.pool, table);
    const projection = balances(table, type);
    await deposit(type, `account-${type}`, 0, 10);
    await deposit(type, `account-${type}`, 1, 20);
    await catchUpUntil(projection, async () => (await readModel(db.pool, table))[0]?.deposits === 2);
    const before = await checkpointOf(db.pool, table);

    await deposit(type, `account-${type}`, 2, 30);
    await deposit(type, `account-${type}`, 3, 40);
    let calls = 0;
    const failing: Projection = {
      ...projection,
      apply: async (tx, event) => {
        await projection.apply(tx, event);
        // The first event of the batch is written, then the second fails: the whole batch rolls back.
        if (++calls === 2) throw new Error('read model write failed');
      },
    };
    await expect(projectBatch(db.pool, failing)).rejects.toThrow('read model write failed');
    expect(await checkpointOf(db.pool, table)).toEqual(before);
    expect((await readModel(db.pool, table))[0]).toMatchObject({ balance: 30, deposits: 2 });

    await catchUpUntil(projection, async () => (await readModel(db.pool, table))[0]?.deposits === 4);
    expect((await readModel(db.pool, table))[0]).toMatchObject({ balance: 100, deposits: 4 });
  });

  it('rebuilt while writes go on, equals the live projection', async () => {
    const type = `Deposited-${newId()}`;
    const live = `balances_live_${Date.now().toString(36)}`;
    const rebuilt = `balances_rebuilt_${Date.now().toString(36)}`;
    await createReadModel(db.pool, live);
    await createReadModel(db.pool, rebuilt);
    const liveProjection = balances(live, type);
    const rebuiltProjection = balances(rebuilt, type);
    const runner = startProjection(db.pool, liveProjection, { pollIntervalMs: 10, batchSize: 10 });
    try {
      const accounts = Array.from({ length: 6 }, (_, index) => `account-${type}-${index}`);
      const depositsPerAccount = 40;
      const writers = accounts.map(async (account) => {
        for (let version = 0; version < depositsPerAccount; version++) {
          await deposit(type, account, version, version + 1);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      });
      // The other projection is built from scratch, three times, while the deposits keep coming.
      for (let round = 0; round < 3; round++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await rebuildProjection(db.pool, rebuiltProjection, { batchSize: 25 });
      }
      await Promise.all(writers);
      const written = accounts.length * depositsPerAccount;

      const depositsIn = async (table: string) =>
        (await readModel(db.pool, table)).reduce((sum, row) => sum + row.deposits, 0);
      await catchUpUntil(rebuiltProjection, async () => (await depositsIn(rebuilt)) === written);
      runner.wake();
      for (let attempt = 0; attempt < 200; attempt++) {
        if ((await depositsIn(live)) === written) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const liveRows = await readModel(db.pool, live);
      expect(liveRows.reduce((sum, row) => sum + row.deposits, 0)).toBe(written);
      expect(await readModel(db.pool, rebuilt)).toEqual(liveRows);
      // Each account's balance is 1 + 2 + ... + 40.
      for (const row of liveRows) {
        expect(row).toMatchObject({ deposits: depositsPerAccount, balance: (40 * 41) / 2 });
      }
    } finally {
      await runner.stop();
    }
  });
});
