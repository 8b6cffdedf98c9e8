import { SignJWT } from 'jose';
import { ACCESS_TOKEN_TYPE } from '@talad/auth';
import { newId, type Clock } from '@talad/core';
import type { Role } from '@talad/contracts-identity';
import { SIGNING_ALGORITHM, type SigningKeyStore } from '../keys/index.ts';

/** Whom an access token speaks for. */
export type TokenSubject =
  | { kind: 'user'; userId: string; roles: readonly Role[] }
  | { kind: 'client'; clientId: string; scopes: readonly string[] };

export interface AccessTokenSigner {
  readonly ttlSeconds: number;
  sign(subject: TokenSubject): Promise<string>;
}

export interface AccessTokenSignerOptions {
  keys: SigningKeyStore;
  clock: Clock;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/**
 * Signs access tokens as RFC 9068 JWTs (`typ: at+jwt`) with the current signing key: `iss`, `aud`,
 * `sub`, `iat`, `exp`, a unique `jti`, and either `roles` (a person) or `client_id` and `scope` (a
 * machine client). The `@talad/auth` verifier reads exactly these.
 *
 * @example
 * const token = await signer.sign({ kind: 'user', userId, roles: ['customer'] });
 */
export function createAccessTokenSigner(options: AccessTokenSignerOptions): AccessTokenSigner {
  return {
    ttlSeconds: options.ttlSeconds,
    async sign(subject) {
      const { kid, privateKey } = await options.keys.signer();
      const issuedAt = Math.floor(options.clock.now().getTime() / 1000);
      const claims =
        subject.kind === 'user'
          ? { roles: [...subject.roles] }
          : { client_id: subject.clientId, scope: subject.scopes.join(' ') };
      return new SignJWT(claims)
        .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: ACCESS_TOKEN_TYPE })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(subject.kind === 'user' ? subject.userId : subject.clientId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + options.ttlSeconds)
        .setJti(newId(options.clock.now().getTime()))
        .sign(privateKey);
    },
  };
}
