import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = pg.Pool | pg.PoolClient;

export interface PoolOptions {
  connectionString: string;
  /** Shown in `pg_stat_activity`, so a busy database tells which service holds its connections. */
  applicationName: string;
  max?: number;
  /** A statement running longer is cancelled; guards the pool against one runaway query. */
  statementTimeoutMs?: number;
}

// BIGINT (int8) and NUMERIC come back as strings by default; counts and money here fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/** Statement texts given a name so far, by text; shared by every connection of the process. */
const statementNames = new Map<string, string>();
/** Beyond this many distinct texts (a caller building texts on the fly), statements go unnamed. */
const MAX_NAMED_STATEMENTS = 2_000;

function statementNameOf(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `talad_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * A client that prepares each parameterized statement once per connection (a named statement) and then
 * only binds and executes it: PostgreSQL parses and plans a statement text once instead of at every call,
 * which is a good part of what a short statement costs it. Statements without parameters go as they are
 * (simple protocol: they may hold several statements, as BEGIN and COMMIT with piggybacked ones do).
 */
class PreparingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [config, values, callback] = args;
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = statementNameOf(config);
      if (name !== undefined) args = [{ name, text: config, values }, callback];
    }
    return (super.query as (...forwarded: unknown[]) => never)(...args);
  }
}

/** One pool per service, sized for its own database only. */
export function createPool(options: PoolOptions): Pool {
  const pool = new pg.Pool({
    Client: PreparingClient,
    connectionString: options.connectionString,
    application_name: options.applicationName,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    idle_in_transaction_session_timeout: 60_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

/** Readiness check: the database answers a trivial query. */
export async function pingDatabase(pool: Pool): Promise<void> {
  await pool.query('SELECT 1');
}
