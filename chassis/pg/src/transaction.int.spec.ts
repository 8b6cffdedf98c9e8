import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from './pool.ts';
import { isTransactionConflict, withTransaction } from './transaction.ts';

const serverUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const table = `conflict_test_${randomUUID().replaceAll('-', '')}`;
let pool: Pool;

beforeAll(async () => {
  pool = createPool({ connectionString: serverUrl, applicationName: 'transaction-test', max: 4 });
  await pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY, n int NOT NULL)`);
  await pool.query(`INSERT INTO ${table} VALUES (1, 0), (2, 0)`);
});
afterAll(async () => {
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
});

describe('isTransactionConflict', () => {
  it('is true of the transaction PostgreSQL aborted to break a deadlock, which then commits when run again', async () => {
    const bothHoldOne = Promise.withResolvers<undefined>();
    let holding = 0;
    const lockInOrder = (first: number, second: number) =>
      withTransaction(pool, async (tx) => {
        await tx.query(`UPDATE ${table} SET n = n + 1 WHERE id = $1`, [first]);
        if (++holding === 2) bothHoldOne.resolve(undefined);
        await bothHoldOne.promise;
        await tx.query(`UPDATE ${table} SET n = n + 1 WHERE id = $1`, [second]);
      });

    const outcomes = await Promise.allSettled([lockInOrder(1, 2), lockInOrder(2, 1)]);
    const failures = outcomes.flatMap((outcome): unknown[] => (outcome.status === 'rejected' ? [outcome.reason] : []));

    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ code: '40P01' });
    expect(isTransactionConflict(failures[0])).toBe(true);
    // Run again alone, the aborted one commits: the winner's two updates and its two.
    await lockInOrder(2, 1);
    expect((await pool.query<{ n: number }>(`SELECT sum(n)::int AS n FROM ${table}`)).rows[0]?.n).toBe(4);
  });

  it('is false of errors that running again would only repeat', async () => {
    const duplicate = await pool.query(`INSERT INTO ${table} VALUES (1, 0)`).catch((error: unknown) => error);
    const badSql = await pool.query('SELEC 1').catch((error: unknown) => error);

    expect(duplicate).toMatchObject({ code: '23505' });
    expect([duplicate, badSql, new Error('no code'), undefined].map(isTransactionConflict)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
