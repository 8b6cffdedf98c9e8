import type { Profile, Role } from '@talad/contracts-identity';
import type { Queryable } from '@talad/pg';

export interface Account {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  createdAt: Date;
  disabledAt: Date | null;
}

export interface AccountWithPassword extends Account {
  passwordHash: string;
}

export interface AccountRepository {
  /** Undefined when the email already has an account. */
  insert(account: AccountWithPassword): Promise<Account | undefined>;
  findById(id: string): Promise<Account | undefined>;
  findByEmail(email: string): Promise<AccountWithPassword | undefined>;
  updatePasswordHash(id: string, passwordHash: string): Promise<void>;
  /** Newest first. */
  list(page: number, pageSize: number): Promise<{ items: Account[]; total: number }>;
  /** False when there is no such account. */
  disable(id: string, at: Date): Promise<boolean>;
}

interface AccountRow {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  created_at: Date;
  disabled_at: Date | null;
  password_hash: string;
}

const COLUMNS = 'id, email, name, roles, created_at, disabled_at';

export function createAccountRepository(db: Queryable): AccountRepository {
  return {
    async insert(account) {
      const { rows } = await db.query<AccountRow>(
        `INSERT INTO users (id, email, name, password_hash, roles, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (email) DO NOTHING
         RETURNING ${COLUMNS}`,
        [account.id, account.email, account.name, account.passwordHash, account.roles, account.createdAt],
      );
      return rows[0] && toAccount(rows[0]);
    },

    async findById(id) {
      const { rows } = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
      return rows[0] && toAccount(rows[0]);
    },

    async findByEmail(email) {
      const { rows } = await db.query<AccountRow>(`SELECT ${COLUMNS}, password_hash FROM users WHERE email = $1`, [
        email,
      ]);
      const row = rows[0];
      return row && { ...toAccount(row), passwordHash: row.password_hash };
    },

    async updatePasswordHash(id, passwordHash) {
      await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
    },

    async list(page, pageSize) {
      const { rows } = await db.query<AccountRow & { total: number }>(
        `SELECT ${COLUMNS}, count(*) OVER () AS total FROM users
         ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`,
        [pageSize, (page - 1) * pageSize],
      );
      const total = rows[0]?.total ?? (await db.query<{ n: number }>('SELECT count(*) AS n FROM users')).rows[0]?.n;
      return { items: rows.map(toAccount), total: total ?? 0 };
    },

    async disable(id, at) {
      const { rowCount } = await db.query('UPDATE users SET disabled_at = coalesce(disabled_at, $2) WHERE id = $1', [
        id,
        at,
      ]);
      return rowCount === 1;
    },
  };
}

/** What the account looks like through the API: never the password hash. */
export function toProfile(account: Account): Profile {
  return {
    id: account.id,
    email: account.email,
    name: account.name,
    roles: account.roles,
    createdAt: account.createdAt.toISOString(),
  };
}

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}
