import pg from 'pg';
import { createPool, migrate, type MigrationResult } from '@talad/pg';

/**
 * One login role and one database per service, the database owned by the role. Only the owner may
 * connect to a database (CONNECT is revoked from PUBLIC, also on the default `postgres` and
 * `template1`), so a service's credentials open its own data and nothing else: "database per
 * service" enforced by the server, not by convention. Every step is safe to repeat.
 */
export interface Login {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

export function databaseUrl(login: Login, database: string): string {
  const user = encodeURIComponent(login.user);
  const password = encodeURIComponent(login.password);
  return `postgres://${user}:${password}@${login.host}:${login.port}/${encodeURIComponent(database)}`;
}

/** Runs `work` with a superuser connection to the `postgres` database. */
export async function asSuperuser<T>(superuser: Login, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(superuser, 'postgres'), application_name: 'talad' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Takes away the default right of every role to connect to the databases initdb creates. */
export async function lockDownDefaultDatabases(admin: pg.Client): Promise<void> {
  await admin.query('REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC');
  await admin.query('REVOKE CONNECT, TEMPORARY ON DATABASE template1 FROM PUBLIC');
}

/** Creates (or brings up to date) the role `name` with `password`, and its database `name`. */
export async function provisionDatabase(admin: pg.Client, name: string, password: string): Promise<void> {
  const role = admin.escapeIdentifier(name);
  const secret = admin.escapeLiteral(password);
  const { rowCount: roleExists } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  // The password is set on every run, so the role always matches secrets.json.
  await admin.query(
    roleExists
      ? `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${secret}`
      : `CREATE ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${secret}`,
  );

  const { rows } = await admin.query<{ owner: string }>(
    'SELECT pg_catalog.pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
    [name],
  );
  const database = rows[0];
  // CREATE DATABASE has no IF NOT EXISTS and cannot run in a transaction, hence the look first.
  if (!database) await admin.query(`CREATE DATABASE ${role} OWNER ${role}`);
  else if (database.owner !== name) await admin.query(`ALTER DATABASE ${role} OWNER TO ${role}`);
  await admin.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${role} FROM PUBLIC`);
}

/**
 * Applies a service's migrations connected as the service's own role, so the tables, indexes and
 * extensions they create belong to the service (and it can alter them later without a superuser).
 */
export async function migrateAs(url: string, migrations: string, scope?: string): Promise<MigrationResult> {
  // Two connections: migrate() holds its advisory lock on one and applies migrations on another.
  // No statement timeout: building an index on a big table may legitimately take a while.
  const pool = createPool({ connectionString: url, applicationName: 'talad-migrate', max: 2, statementTimeoutMs: 0 });
  try {
    return await migrate(pool, migrations, scope === undefined ? {} : { scope });
  } finally {
    await pool.end();
  }
}
