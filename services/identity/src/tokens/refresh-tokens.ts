import { createHash, randomBytes } from 'node:crypto';
import { newId, type Clock } from '@talad/core';
import type { Role } from '@talad/contracts-identity';
import { withTransaction, type Pool, type Queryable } from '@talad/pg';

export type RevocationReason = 'sign-out' | 'reuse' | 'disabled';

/** What presenting a refresh token led to. */
export type RefreshOutcome =
  | { outcome: 'rotated'; userId: string; roles: Role[]; refreshToken: string }
  /** Unknown, expired, or of a revoked family. */
  | { outcome: 'invalid' }
  /** Spent before: someone holds a copy. The family is now revoked, the rotated-to token included. */
  | { outcome: 'reused'; userId: string; familyId: string };

export interface RefreshTokens {
  /** Starts a family (one per sign-in) and returns its first token. */
  issue(userId: string): Promise<string>;
  /** Spends the token and returns its successor in the same family, or says why not. */
  rotate(refreshToken: string): Promise<RefreshOutcome>;
  /** Revokes the family of this token; false when there is no such token. */
  revokeFamily(refreshToken: string, reason: RevocationReason): Promise<boolean>;
  /** Revokes every family of the user (the account was disabled). */
  revokeAllOf(userId: string, reason: RevocationReason, db?: Queryable): Promise<void>;
}

/**
 * Opaque refresh tokens (256 random bits, stored only as SHA-256) with rotation and reuse detection
 * (OAuth 2.0 Security BCP, RFC 9700 §4.14): each token is spent by its one refresh and replaced by the
 * next in its family; a spent token presented again means a copy exists, so the whole family (every
 * token of that sign-in, including the legitimate holder's newest) is revoked and both must sign in.
 *
 * @example
 * const token = await refreshTokens.issue(userId);
 * const next = await refreshTokens.rotate(token); // { outcome: 'rotated', refreshToken, ... }
 * await refreshTokens.rotate(token); // { outcome: 'reused' }, and next.refreshToken is dead too
 */
export function createRefreshTokens(options: { pool: Pool; clock: Clock; ttlDays: number }): RefreshTokens {
  const { pool, clock } = options;
  const ttlMs = options.ttlDays * 86_400_000;

  const insertToken = async (db: Queryable, familyId: string): Promise<string> => {
    const token = randomBytes(32).toString('base64url');
    const now = clock.now();
    await db.query(
      'INSERT INTO refresh_tokens (id, family_id, token_hash, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [newId(now.getTime()), familyId, digest(token), now, new Date(now.getTime() + ttlMs)],
    );
    return token;
  };

  const revokeFamilies = (db: Queryable, column: 'id' | 'user_id', value: string, reason: RevocationReason) =>
    db.query(
      `UPDATE refresh_token_families SET revoked_at = $3, revoked_reason = $2
       WHERE ${column} = $1 AND revoked_at IS NULL`,
      [value, reason, clock.now()],
    );

  return {
    async issue(userId) {
      return withTransaction(pool, async (tx) => {
        const familyId = newId(clock.now().getTime());
        await tx.query('INSERT INTO refresh_token_families (id, user_id, created_at) VALUES ($1, $2, $3)', [
          familyId,
          userId,
          clock.now(),
        ]);
        return insertToken(tx, familyId);
      });
    },

    // Not a thrown error for reuse: the revocation must commit, so the outcome is returned instead.
    async rotate(refreshToken) {
      return withTransaction(pool, async (tx): Promise<RefreshOutcome> => {
        const { rows } = await tx.query<{
          id: string;
          family_id: string;
          expires_at: Date;
          spent_at: Date | null;
          revoked_at: Date | null;
          user_id: string;
          roles: Role[];
          disabled_at: Date | null;
        }>(
          `SELECT t.id, t.family_id, t.expires_at, t.spent_at, f.revoked_at, f.user_id, u.roles, u.disabled_at
           FROM refresh_tokens t
           JOIN refresh_token_families f ON f.id = t.family_id
           JOIN users u ON u.id = f.user_id
           WHERE t.token_hash = $1
           FOR UPDATE OF t, f`,
          [digest(refreshToken)],
        );
        const row = rows[0];
        const now = clock.now();
        if (!row || row.revoked_at) return { outcome: 'invalid' };
        if (row.spent_at) {
          await revokeFamilies(tx, 'id', row.family_id, 'reuse');
          return { outcome: 'reused', userId: row.user_id, familyId: row.family_id };
        }
        if (row.expires_at <= now) return { outcome: 'invalid' };
        if (row.disabled_at) {
          await revokeFamilies(tx, 'id', row.family_id, 'disabled');
          return { outcome: 'invalid' };
        }
        await tx.query('UPDATE refresh_tokens SET spent_at = $2 WHERE id = $1', [row.id, now]);
        const next = await insertToken(tx, row.family_id);
        return { outcome: 'rotated', userId: row.user_id, roles: row.roles, refreshToken: next };
      });
    },

    async revokeFamily(refreshToken, reason) {
      const { rows } = await pool.query<{ family_id: string }>(
        'SELECT family_id FROM refresh_tokens WHERE token_hash = $1',
        [digest(refreshToken)],
      );
      const familyId = rows[0]?.family_id;
      if (!familyId) return false;
      await revokeFamilies(pool, 'id', familyId, reason);
      return true;
    },

    async revokeAllOf(userId, reason, db = pool) {
      await revokeFamilies(db, 'user_id', userId, reason);
    },
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
