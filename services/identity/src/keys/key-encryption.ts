import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import type { JWK } from 'jose';

/** A private signing key as stored: sealed under the service's secret, or plain when none is configured. */
export type StoredPrivateKey = { plain: JWK } | { encrypted: { iv: string; tag: string; data: string } };

export interface KeyEncryption {
  /** True when keys are sealed; false means they are stored as plain JWKs (a warning at start says so). */
  readonly sealing: boolean;
  seal(kid: string, jwk: JWK): StoredPrivateKey;
  open(kid: string, stored: StoredPrivateKey): JWK;
}

/**
 * Seals private signing keys with AES-256-GCM under a key derived from `SIGNING_KEY_SECRET`, so a copy
 * of the database (a backup, a replica) does not let anyone mint tokens. The kid is the additional
 * authenticated data: a sealed key moved to another row does not open.
 *
 * @example
 * const encryption = createKeyEncryption(config.SIGNING_KEY_SECRET);
 * const stored = encryption.seal(kid, privateJwk);
 * encryption.open(kid, stored); // privateJwk
 */
export function createKeyEncryption(secret: string | undefined): KeyEncryption {
  // A slow derivation, once at start, so a weak secret is not also a cheap one to guess.
  const key = secret === undefined ? undefined : scryptSync(secret, 'talad identity signing keys', 32);
  return {
    sealing: key !== undefined,
    seal(kid, jwk) {
      if (!key) return { plain: jwk };
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(kid));
      const data = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
      return {
        encrypted: {
          iv: iv.toString('base64url'),
          tag: cipher.getAuthTag().toString('base64url'),
          data: data.toString('base64url'),
        },
      };
    },
    open(kid, stored) {
      if ('plain' in stored) return stored.plain;
      if (!key) throw new Error(`signing key ${kid} is encrypted, but SIGNING_KEY_SECRET is not set`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(stored.encrypted.iv, 'base64url'))
          .setAAD(Buffer.from(kid))
          .setAuthTag(Buffer.from(stored.encrypted.tag, 'base64url'));
        const json = Buffer.concat([
          decipher.update(Buffer.from(stored.encrypted.data, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
        return JSON.parse(json) as JWK;
      } catch {
        throw new Error(`signing key ${kid} does not open with this SIGNING_KEY_SECRET (was the secret changed?)`);
      }
    },
  };
}
