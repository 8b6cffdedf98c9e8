import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool, migrate, type Pool } from '@talad/pg';

/**
 * The PostgreSQL server that integration tests use: a real one, never a mock.
 * `TEST_DATABASE_URL` points at a server and a database the tests may create databases from.
 */
export const testServerUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  readonly pool: Pool;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/**
 * Creates a fresh, uniquely named database for one test file, optionally migrated.
 *
 * @example
 * const db = await createTestDatabase({ migrations: 'services/catalog/migrations' });
 * afterAll(() => db.drop());
 */
export async function createTestDatabase(
  options: { prefix?: string; migrations?: string } = {},
): Promise<TestDatabase> {
  const name = `${options.prefix ?? 'talad_test'}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(name);
  const pool = createPool({ connectionString: url, applicationName: 'test', max: 5 });
  if (options.migrations) await migrate(pool, options.migrations);
  return {
    url,
    name,
    pool,
    drop: async () => {
      await pool.end();
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

function databaseUrl(database: string): string {
  const url = new URL(testServerUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
