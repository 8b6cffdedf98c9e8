import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import type { Clock } from '@talad/core';
import { withTransaction, type Pool } from '@talad/pg';
import type { KeyEncryption, StoredPrivateKey } from './key-encryption.ts';

export const SIGNING_ALGORITHM = 'ES256';

/**
 * A new key is published this long before it signs anything, longer than a verifier's refetch
 * cooldown (30 s) plus this store's cache, so no verifier meets a kid it has not been able to fetch.
 */
export const DEFAULT_PUBLISH_LEAD_MS = 60_000;
/** How long instances keep the key list before reading it again. */
const CACHE_MS = 30_000;
/** A retired key stays published this long beyond the last expiry it signed: caches and clock skew. */
const RETIREMENT_GRACE_MS = 120_000;

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

export interface SigningKeyStore {
  /** The key that signs now, creating the first one or the next one when rotation is due. */
  signer(): Promise<SigningKey>;
  /** The public keys a verifier needs now: the signer, the next one, and retired keys whose tokens may live. */
  publicKeys(): Promise<JSONWebKeySet>;
  /** Creates the next key: published at once, signing after the publication lead. Idempotent until it signs. */
  rotate(): Promise<{ kid: string; activatesAt: Date }>;
}

export interface SigningKeyStoreOptions {
  pool: Pool;
  clock: Clock;
  encryption: KeyEncryption;
  /** A key signs for this long before the next one is created. */
  rotationDays: number;
  /** How long the tokens a key signs live: a retired key stays published at least this long. */
  accessTokenTtlSeconds: number;
  publishLeadMs?: number;
}

interface KeyRow {
  kid: string;
  publicJwk: JWK;
  privateJwk: StoredPrivateKey;
  activatesAt: Date;
}

/**
 * Access token signing keys in the service's database, shared by every instance. Lifecycle of a key:
 * created and published (not yet signing), signing from `activates_at`, retired when the next key
 * activates, and published until every token it signed has expired (retired + access TTL + grace).
 * Rotation happens by itself after `rotationDays`, or on demand (`rotate`, the admin route).
 *
 * @example
 * const keys = createSigningKeyStore({ pool, clock, encryption, rotationDays: 30, accessTokenTtlSeconds: 900 });
 * const { kid, privateKey } = await keys.signer();
 * app.get('/.well-known/jwks.json', async () => keys.publicKeys());
 */
export function createSigningKeyStore(options: SigningKeyStoreOptions): SigningKeyStore {
  const { pool, clock, encryption } = options;
  const lead = options.publishLeadMs ?? DEFAULT_PUBLISH_LEAD_MS;
  const rotationMs = options.rotationDays * 86_400_000;
  const retentionMs = options.accessTokenTtlSeconds * 1000 + RETIREMENT_GRACE_MS;
  const privateKeys = new Map<string, Promise<CryptoKey>>();
  let cached: { rows: KeyRow[]; loadedAt: number } | undefined;

  const rotationDue = (latest: KeyRow | undefined, now: number): boolean =>
    !latest || (latest.activatesAt.getTime() <= now && latest.activatesAt.getTime() + rotationMs <= now);

  const load = async (): Promise<KeyRow[]> => {
    const now = clock.now().getTime();
    if (cached && now - cached.loadedAt < CACHE_MS) return cached.rows;
    let rows = await readKeys(pool);
    if (rotationDue(rows.at(-1), now)) {
      await createKey('due');
      rows = await readKeys(pool);
    }
    cached = { rows, loadedAt: now };
    return rows;
  };

  const createKey = async (reason: 'due' | 'requested'): Promise<KeyRow> =>
    withTransaction(pool, async (tx) => {
      // One instance creates the key; the others, waiting here, then find it and create none.
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('identity.signing_keys'))");
      const now = clock.now().getTime();
      const existing = await readKeys(tx);
      const latest = existing.at(-1);
      if (latest && latest.activatesAt.getTime() > now) return latest;
      if (latest && reason === 'due' && !rotationDue(latest, now)) return latest;
      // The very first key signs at once: no verifier can have cached a key set without it.
      const row = await generateKey(encryption, new Date(latest ? now + lead : now));
      await tx.query(
        `INSERT INTO signing_keys (kid, algorithm, public_jwk, private_jwk, created_at, activates_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.kid, SIGNING_ALGORITHM, row.publicJwk, row.privateJwk, new Date(now), row.activatesAt],
      );
      // Keys that no verifier needs any more go with the rotation that made them obsolete.
      const obsolete = existing.filter((_, index) => !isPublished(existing, index, now, retentionMs));
      if (obsolete.length > 0) {
        await tx.query('DELETE FROM signing_keys WHERE kid = ANY($1)', [obsolete.map((key) => key.kid)]);
      }
      return row;
    });

  return {
    async signer() {
      const rows = await load();
      const row = signingRow(rows, clock.now().getTime());
      if (!row) throw new Error('no signing key is active');
      let privateKey = privateKeys.get(row.kid);
      if (!privateKey) {
        privateKey = importJWK(encryption.open(row.kid, row.privateJwk), SIGNING_ALGORITHM) as Promise<CryptoKey>;
        privateKeys.set(row.kid, privateKey);
      }
      return { kid: row.kid, privateKey: await privateKey };
    },

    async publicKeys() {
      const rows = await load();
      const now = clock.now().getTime();
      return {
        keys: rows.filter((_, index) => isPublished(rows, index, now, retentionMs)).map((row) => row.publicJwk),
      };
    },

    async rotate() {
      const row = await createKey('requested');
      cached = undefined;
      return { kid: row.kid, activatesAt: row.activatesAt };
    },
  };
}

/** The key that signs at `now`: the one activated last. */
function signingRow(rows: readonly KeyRow[], now: number): KeyRow | undefined {
  return rows.findLast((row) => row.activatesAt.getTime() <= now);
}

/** Rows are in activation order; a key retires when the one after it activates. */
function isPublished(rows: readonly KeyRow[], index: number, now: number, retentionMs: number): boolean {
  const successor = rows[index + 1];
  if (!successor) return true;
  const retiredAt = successor.activatesAt.getTime();
  return retiredAt > now || retiredAt + retentionMs > now;
}

async function generateKey(encryption: KeyEncryption, activatesAt: Date): Promise<KeyRow> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
    privateJwk: encryption.seal(kid, await exportJWK(privateKey)),
    activatesAt,
  };
}

async function readKeys(db: Pick<Pool, 'query'>): Promise<KeyRow[]> {
  const { rows } = await db.query<{ kid: string; public_jwk: JWK; private_jwk: StoredPrivateKey; activates_at: Date }>(
    'SELECT kid, public_jwk, private_jwk, activates_at FROM signing_keys ORDER BY activates_at',
  );
  return rows.map((row) => ({
    kid: row.kid,
    publicJwk: row.public_jwk,
    privateJwk: row.private_jwk,
    activatesAt: row.activates_at,
  }));
}
