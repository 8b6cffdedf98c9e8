import type { Clock } from '@talad/core';
import type { Pool, Queryable } from '@talad/pg';
import type { PasswordHasher } from '../passwords/index.ts';

/** A machine client as configured: its secret comes from the environment, never from code. */
export interface ClientRegistration {
  id: string;
  secret: string;
  scopes: readonly string[];
}

export interface RegisteredClient {
  id: string;
  scopes: string[];
}

/**
 * Makes the `clients` table match the configuration: each configured client is added or updated (its
 * secret hashed like a password), and every client no longer configured is removed, so withdrawing a
 * secret from the environment withdraws the client.
 *
 * @example
 * await registerClients(pool, hasher, clock, [{ id: 'talad-admin', secret: env.ADMIN_CLIENT_SECRET, scopes: ['catalog:write'] }]);
 */
export async function registerClients(
  pool: Pool,
  hasher: PasswordHasher,
  clock: Clock,
  registrations: readonly ClientRegistration[],
): Promise<void> {
  const now = clock.now();
  for (const client of registrations) {
    const { rows } = await pool.query<{ secret_hash: string }>('SELECT secret_hash FROM clients WHERE id = $1', [
      client.id,
    ]);
    const current = rows[0];
    // Rehashing on every start would change the row for nothing; only a new secret (or new parameters) does.
    const unchanged =
      current !== undefined &&
      !hasher.needsRehash(current.secret_hash) &&
      (await hasher.verify(client.secret, current.secret_hash));
    const secretHash = unchanged ? current.secret_hash : await hasher.hash(client.secret);
    await pool.query(
      `INSERT INTO clients (id, secret_hash, scopes, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (id) DO UPDATE SET secret_hash = $2, scopes = $3, updated_at = $4`,
      [client.id, secretHash, [...client.scopes], now],
    );
  }
  await pool.query('DELETE FROM clients WHERE NOT (id = ANY($1))', [registrations.map((client) => client.id)]);
}

/**
 * The client with this id and secret, or undefined. An unknown id costs as much time as a wrong
 * secret, so the answer's timing does not tell which client ids exist.
 */
export async function authenticateClient(
  db: Queryable,
  hasher: PasswordHasher,
  id: string,
  secret: string,
): Promise<RegisteredClient | undefined> {
  const { rows } = await db.query<{ secret_hash: string; scopes: string[] }>(
    'SELECT secret_hash, scopes FROM clients WHERE id = $1',
    [id],
  );
  const row = rows[0];
  if (!row) return hasher.verifyNothing(secret).then(() => undefined);
  return (await hasher.verify(secret, row.secret_hash)) ? { id, scopes: row.scopes } : undefined;
}
