import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from './pool.ts';

const serverUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let pool: Pool;

beforeAll(() => {
  pool = createPool({ connectionString: serverUrl, applicationName: 'pool-test', max: 1 });
});
afterAll(async () => {
  await pool.end();
});

/** The statements the pool's one connection has prepared, by text. */
async function preparedTexts(): Promise<string[]> {
  const { rows } = await pool.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements');
  return rows.map((row) => row.statement);
}

describe('createPool', () => {
  it('prepares a parameterized statement once per connection and reuses it', async () => {
    const text = 'SELECT $1::int + 1 AS next';
    const answers = [];
    for (const value of [1, 2, 3]) answers.push((await pool.query<{ next: number }>(text, [value])).rows[0]?.next);

    expect(answers).toEqual([2, 3, 4]);
    expect((await preparedTexts()).filter((statement) => statement === text)).toHaveLength(1);
  });

  it('sends statements without parameters as they are, several in one query if asked', async () => {
    const results = (await pool.query('SELECT 1 AS one; SELECT 2 AS two')) as unknown as Array<{
      rows: Array<Record<string, number>>;
    }>;

    expect(results.map((result) => result.rows[0])).toEqual([{ one: 1 }, { two: 2 }]);
    expect(await preparedTexts()).not.toContain('SELECT 1 AS one; SELECT 2 AS two');
  });

  it('keeps a prepared statement usable after a transaction that failed and rolled back', async () => {
    const client = await pool.connect();
    try {
      const text = 'SELECT $1::int AS n';
      await client.query('BEGIN');
      await expect(client.query('SELECT 1 / $1::int', [0])).rejects.toThrow(/division by zero/);
      // Parsing a new statement in the aborted transaction fails; it must not be taken as prepared.
      await expect(client.query(text, [1])).rejects.toThrow(/aborted/);
      await client.query('ROLLBACK');

      expect((await client.query<{ n: number }>(text, [7])).rows[0]?.n).toBe(7);
    } finally {
      client.release();
    }
  });
});
