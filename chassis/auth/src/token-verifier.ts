import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { DomainError, systemClock, type Clock } from '@talad/core';
import { callerFromClaims, type Caller } from './caller.ts';
import { AuthErrorCode } from './error-codes.ts';

/**
 * Only asymmetric signatures: a verifier holds public keys and nothing that could sign. `none` and the
 * HMAC family are never accepted, which closes the "alg: none" and "HS256 keyed with the public key" forgeries.
 */
export const ACCEPTED_ALGORITHMS = ['ES256', 'EdDSA', 'Ed25519'] as const;

/** The JWT `typ` of an access token (RFC 9068), so an ID token or any other JWT from the issuer is refused. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

interface CommonOptions {
  /** Expected `iss`, exactly. */
  issuer: string;
  /** Expected `aud` (one of them, when the token lists several). */
  audience: string;
  /** Slack for clocks that disagree a little, on `exp`, `nbf` and `iat`. Default 30 s. */
  clockToleranceSeconds?: number;
  clock?: Clock;
  /**
   * A token once verified is taken at its word again for this long (never past its expiry) without its
   * signature being checked again: a caller sends the same token with every request for minutes, and the
   * signature check is most of what verifying costs. It is also how long a token signed by a key since
   * withdrawn from the key set may still be accepted. Default 60 s; 0 checks every time.
   */
  verifiedForMs?: number;
}

export interface RemoteKeysOptions extends CommonOptions {
  /** Where the issuer publishes its public keys, e.g. `http://identity:8102/.well-known/jwks.json`. */
  jwksUrl: string | URL;
  /**
   * A token with an unknown `kid` refetches the key set, but at most once per cooldown, so a flood of
   * made-up kids cannot turn into a flood of requests to the issuer. Default 30 s.
   */
  cooldownMs?: number;
  /** The key set is refetched when older than this, even if every kid is known. Default 10 min. */
  cacheMaxAgeMs?: number;
  /** Default 5 s. */
  fetchTimeoutMs?: number;
}

export interface LocalKeysOptions extends CommonOptions {
  /** The issuer itself verifies against its own keys, without a round trip over HTTP. */
  keySet: () => Promise<JSONWebKeySet>;
}

export type TokenVerifierOptions = RemoteKeysOptions | LocalKeysOptions;

export interface TokenVerifier {
  /** The caller the token stands for; throws DomainError `unauthenticated` (401) if the token is not good. */
  verify(token: string): Promise<Caller>;
}

/** Failures that say something about the token, as opposed to about the key server. */
const TOKEN_FAULTS = new Set<string>([
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWSInvalid.code,
  errors.JWTInvalid.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JWTExpired.code,
  errors.JWTClaimValidationFailed.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
]);

/**
 * Verifies access tokens issued by one issuer for one audience: the signature against the issuer's
 * published keys (cached, refetched on an unknown `kid` with a cooldown), an asymmetric algorithm from
 * a short allow-list, `typ: at+jwt`, `iss`, `aud`, `exp` and `nbf` (with a small clock tolerance).
 * Every failure is the same 401 with a safe message; the reason goes to no one but a debugger.
 *
 * @example
 * const verifier = createTokenVerifier({
 *   jwksUrl: 'http://127.0.0.1:8102/.well-known/jwks.json',
 *   issuer: 'http://localhost:8080/api/identity',
 *   audience: 'talad',
 * });
 * const caller = await verifier.verify(token); // { kind: 'user', userId, roles, token } or { kind: 'client', ... }
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const clock = options.clock ?? systemClock;
  const keys = keyResolver(options);
  const toleranceSeconds = options.clockToleranceSeconds ?? 30;
  const verifiedForMs = options.verifiedForMs ?? 60_000;
  // Insertion order is age order: the first entry is the oldest, evicted first when full.
  const verified = new Map<string, { caller: Caller; until: number }>();
  return {
    async verify(token) {
      const now = clock.now().getTime();
      const known = verified.get(token);
      if (known && now <= known.until) return known.caller;
      if (known) verified.delete(token);
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: [...ACCEPTED_ALGORITHMS],
          issuer: options.issuer,
          audience: options.audience,
          typ: ACCESS_TOKEN_TYPE,
          clockTolerance: toleranceSeconds,
          currentDate: new Date(now),
          requiredClaims: ['sub', 'exp', 'iat'],
        }));
      } catch (error) {
        throw toDomainError(error);
      }
      const caller = callerFromClaims(payload, token);
      if (!caller) throw invalidToken();
      if (verifiedForMs > 0) {
        // `exp` is a required claim; the tolerance is what the check above granted too.
        const expiresAt = (Number(payload['exp']) + toleranceSeconds) * 1000;
        if (verified.size >= MAX_VERIFIED_TOKENS) verified.delete(verified.keys().next().value ?? '');
        verified.set(token, { caller, until: Math.min(now + verifiedForMs, expiresAt) });
      }
      return caller;
    },
  };
}

/** Tokens kept as verified at most: about a megabyte or two, whatever the traffic. */
const MAX_VERIFIED_TOKENS = 5_000;

function keyResolver(options: TokenVerifierOptions): JWTVerifyGetKey {
  if ('keySet' in options) {
    // Keys are imported once per distinct key set, not once per token.
    let last: { json: string; resolve: JWTVerifyGetKey } | undefined;
    return async (header, token) => {
      const keySet = await options.keySet();
      const json = JSON.stringify(keySet);
      if (last?.json !== json) last = { json, resolve: createLocalJWKSet(keySet) };
      return last.resolve(header, token);
    };
  }
  return createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: options.cooldownMs ?? 30_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
    timeoutDuration: options.fetchTimeoutMs ?? 5_000,
  });
}

function toDomainError(error: unknown): DomainError {
  if (error instanceof errors.JOSEError && TOKEN_FAULTS.has(error.code)) return invalidToken();
  // The key server did not answer, or answered nonsense: nobody's token can be checked, so this is
  // the service being unavailable, not the caller being wrong.
  return new DomainError(
    'unavailable',
    AuthErrorCode.KeysUnavailable,
    'the signing keys could not be fetched; try again shortly',
  );
}

function invalidToken(): DomainError {
  return new DomainError('unauthenticated', AuthErrorCode.TokenInvalid, 'the access token is not valid');
}
