import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialiseCluster, startPostgres, type RunningPostgres } from './embedded-postgres.ts';
import {
  asSuperuser,
  databaseUrl,
  lockDownDefaultDatabases,
  migrateAs,
  provisionDatabase,
  type Login,
} from './provision.ts';

/** A real embedded PostgreSQL in a temporary folder, on a port of its own (not 5432, not talad's 54329). */
const port = 54_339;
const superuser: Login = { host: '127.0.0.1', port, user: 'postgres', password: 'test-superuser-secret' };
const passwords = { alpha: 'alpha-secret', beta: 'beta-secret' } as const;
const login = (role: keyof typeof passwords): Login => ({ ...superuser, user: role, password: passwords[role] });

let folder: string;
let postgres: RunningPostgres | undefined;

async function connect(as: Login, database: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl(as, database) });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

async function query<T extends pg.QueryResultRow>(as: Login, database: string, sql: string): Promise<T[]> {
  const client = await connect(as, database);
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function provisionAll(): Promise<string[][]> {
  await asSuperuser(superuser, async (admin) => {
    await lockDownDefaultDatabases(admin);
    await provisionDatabase(admin, 'alpha', passwords.alpha);
    await provisionDatabase(admin, 'beta', passwords.beta);
  });
  const applied: string[][] = [];
  for (const role of ['alpha', 'beta'] as const) {
    const result = await migrateAs(databaseUrl(login(role), role), join(folder, 'migrations', role));
    applied.push(result.applied);
  }
  return applied;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'talad-provision-'));
  // mkdtemp makes a 0700 folder; PostgreSQL runs as another user (when the tests run as root).
  await chmod(folder, 0o755);
  for (const role of ['alpha', 'beta']) {
    await mkdir(join(folder, 'migrations', role), { recursive: true });
    await writeFile(
      join(folder, 'migrations', role, '0001_things.sql'),
      `CREATE EXTENSION IF NOT EXISTS pg_trgm;
       CREATE TABLE ${role}_things (id int PRIMARY KEY, name text NOT NULL);
       CREATE INDEX ${role}_things_name ON ${role}_things USING gin (name gin_trgm_ops);
       INSERT INTO ${role}_things VALUES (1, '${role} one');`,
    );
  }
  const settings = { dir: join(folder, 'postgres'), port, superuser, onLine: () => undefined };
  await initialiseCluster(settings);
  postgres = await startPostgres(settings);
});

afterAll(async () => {
  await postgres?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('provisioning a database per service', () => {
  it('creates each database and runs its migrations as the service role, which owns what they create', async () => {
    expect(await provisionAll()).toEqual([['0001_things.sql'], ['0001_things.sql']]);

    const owners = await query<{ tableowner: string; dbowner: string; trgm: string }>(
      login('alpha'),
      'alpha',
      `SELECT t.tableowner, pg_catalog.pg_get_userbyid(d.datdba) AS dbowner,
              (SELECT extname FROM pg_extension WHERE extname = 'pg_trgm') AS trgm
         FROM pg_tables t, pg_database d
        WHERE t.tablename = 'alpha_things' AND d.datname = current_database()`,
    );
    expect(owners).toEqual([{ tableowner: 'alpha', dbowner: 'alpha', trgm: 'pg_trgm' }]);
  });

  it('lets a role connect to its own database', async () => {
    const rows = await query<{ user: string; database: string; name: string }>(
      login('alpha'),
      'alpha',
      'SELECT current_user AS user, current_database() AS database, name FROM alpha_things',
    );
    expect(rows).toEqual([{ user: 'alpha', database: 'alpha', name: 'alpha one' }]);
  });

  it("refuses a role the connection to another service's database", async () => {
    await expect(connect(login('alpha'), 'beta')).rejects.toMatchObject({
      code: '42501',
      message: expect.stringContaining('permission denied for database "beta"'),
    });
    await expect(connect(login('beta'), 'alpha')).rejects.toMatchObject({ code: '42501' });
  });

  it('refuses a role the default databases too', async () => {
    for (const database of ['postgres', 'template1']) {
      await expect(connect(login('alpha'), database)).rejects.toMatchObject({ code: '42501' });
    }
  });

  it('gives the roles no power beyond their database', async () => {
    const rows = await query<{ rolname: string; rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean }>(
      superuser,
      'postgres',
      "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname IN ('alpha', 'beta') ORDER BY rolname",
    );
    expect(rows).toEqual([
      { rolname: 'alpha', rolsuper: false, rolcreatedb: false, rolcreaterole: false },
      { rolname: 'beta', rolsuper: false, rolcreatedb: false, rolcreaterole: false },
    ]);
  });

  it('can run again: nothing is applied twice and the data stays', async () => {
    expect(await provisionAll()).toEqual([[], []]);
    const rows = await query<{ count: number }>(
      login('beta'),
      'beta',
      'SELECT count(*)::int AS count FROM beta_things',
    );
    expect(rows).toEqual([{ count: 1 }]);
  });
});
