import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { runTransaction, sqlLiteral } from './transaction.ts';

/** Messaging's statements riding with BEGIN and COMMIT, on a real database. */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'messaging_transaction' });
  await db.pool.query('CREATE TABLE notes (id serial PRIMARY KEY, text text, bytes bytea, n float8)');
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE notes');
});
afterAll(async () => {
  await db.drop();
});

describe('sqlLiteral', () => {
  it('round-trips any text, bytes and number through the database unchanged', async () => {
    const texts = ["it's", 'back\\slash \\x41', '"quoted"', 'line\nbreak', 'ü ✓ 💳', "'; DROP TABLE notes; --", ''];
    const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
    for (const text of texts) {
      await db.pool.query(
        `INSERT INTO notes (text, bytes, n) VALUES (${sqlLiteral(text)}, ${sqlLiteral(bytes)}, ${sqlLiteral(-1.5)})`,
      );
    }
    const { rows } = await db.pool.query<{ text: string; bytes: Buffer; n: number }>(
      'SELECT text, bytes, n FROM notes ORDER BY id',
    );
    expect(rows.map((row) => row.text)).toEqual(texts);
    for (const row of rows) {
      expect([...row.bytes]).toEqual([...bytes]);
      expect(row.n).toBe(-1.5);
    }
  });

  it('refuses numbers that are not finite', () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow(RangeError);
  });
});

describe('runTransaction', () => {
  it('sends the statements after BEGIN first, hands their results to the work, and commits the rest with it', async () => {
    const result = await runTransaction(
      db.pool,
      async (tx, [inserted]) => {
        await tx.query(`INSERT INTO notes (text) VALUES ('work')`);
        return inserted?.rowCount;
      },
      {
        afterBegin: `INSERT INTO notes (text) VALUES ('first')`,
        beforeCommit: () => `INSERT INTO notes (text) VALUES ('last')`,
      },
    );
    expect(result).toBe(1);
    const { rows } = await db.pool.query<{ text: string }>('SELECT text FROM notes ORDER BY id');
    expect(rows.map((row) => row.text)).toEqual(['first', 'work', 'last']);
  });

  it('rolls everything back when the work or the statements sent with COMMIT fail, and keeps the pool usable', async () => {
    await expect(
      runTransaction(
        db.pool,
        async (tx) => {
          await tx.query(`INSERT INTO notes (text) VALUES ('work')`);
        },
        {
          afterBegin: `INSERT INTO notes (text) VALUES ('first')`,
          beforeCommit: () => 'INSERT INTO missing VALUES (1)',
        },
      ),
    ).rejects.toThrow(/missing/);
    await expect(
      runTransaction(db.pool, async (tx) => {
        await tx.query(`INSERT INTO notes (text) VALUES ('work')`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.pool.query('SELECT * FROM notes')).rows).toEqual([]);
    // Every connection went back to the pool outside a transaction.
    await runTransaction(db.pool, async (tx) => tx.query(`INSERT INTO notes (text) VALUES ('again')`));
    expect((await db.pool.query('SELECT text FROM notes')).rows).toEqual([{ text: 'again' }]);
  });
});
