import { createPublicKey } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, manualClock } from '@talad/core';
import {
  AUDIENCE,
  createTestKey,
  encodeSegment,
  ISSUER,
  startTestIssuer,
  type TestIssuer,
} from '../test-fixtures/test-issuer.ts';
import { createTokenVerifier, type TokenVerifier } from './token-verifier.ts';

let issuer: TestIssuer;
let verifier: TokenVerifier;

beforeAll(async () => {
  issuer = await startTestIssuer();
  verifier = createTokenVerifier({ jwksUrl: issuer.jwksUrl, issuer: ISSUER, audience: AUDIENCE });
});

afterAll(() => issuer.close());

async function rejection(token: string, using: TokenVerifier = verifier): Promise<DomainError> {
  const error: unknown = await using.verify(token).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

const userClaims = { sub: 'user-1', roles: ['customer'] };

describe('createTokenVerifier', () => {
  it('turns a user token into a user caller, dropping roles it does not know', async () => {
    const token = await issuer.sign({ sub: 'user-1', roles: ['customer', 'superuser'] });
    expect(await verifier.verify(token)).toEqual({ kind: 'user', userId: 'user-1', roles: ['customer'], token });
  });

  it('turns a client token into a client caller with its scopes', async () => {
    const token = await issuer.sign({
      sub: 'talad-admin',
      client_id: 'talad-admin',
      scope: 'catalog:write stock:write',
    });
    expect(await verifier.verify(token)).toEqual({
      kind: 'client',
      clientId: 'talad-admin',
      scopes: ['catalog:write', 'stock:write'],
      token,
    });
  });

  describe('refuses every forged or misdirected token with the same safe 401', () => {
    const forgeries: Array<[string, () => Promise<string>]> = [
      [
        'alg: none',
        async () => `${encodeSegment({ alg: 'none', typ: 'at+jwt' })}.${encodeSegment(claimsNow(userClaims))}.`,
      ],
      [
        'alg: none with the kid of a real key',
        async () =>
          `${encodeSegment({ alg: 'none', kid: issuer.key.kid, typ: 'at+jwt' })}.${encodeSegment(claimsNow(userClaims))}.`,
      ],
      [
        'HS256 keyed with the public JWK',
        async () => hmacSigned(new TextEncoder().encode(JSON.stringify(issuer.key.publicJwk))),
      ],
      [
        'HS256 keyed with the public key as PEM',
        async () => {
          const pem = createPublicKey({ key: issuer.key.publicJwk, format: 'jwk' }).export({
            type: 'spki',
            format: 'pem',
          });
          return hmacSigned(new TextEncoder().encode(String(pem)));
        },
      ],
      [
        'a tampered payload (customer promoted to admin)',
        async () => {
          const [header, , signature] = (await issuer.sign(userClaims)).split('.');
          const payload = encodeSegment(claimsNow({ sub: 'user-1', roles: ['admin'] }));
          return `${header}.${payload}.${signature}`;
        },
      ],
      ['an expired token', async () => issuer.sign(userClaims, { expiresIn: -120 })],
      ['a token for another audience', async () => issuer.sign(userClaims, { audience: 'another-shop' })],
      ['a token from another issuer', async () => issuer.sign(userClaims, { issuer: 'https://evil.test' })],
      [
        'a token signed by an unknown key (unknown kid)',
        async () => issuer.sign(userClaims, { key: await createTestKey('stranger') }),
      ],
      [
        "a token signed by another key under a published key's kid",
        async () => issuer.sign(userClaims, { key: { ...(await createTestKey('x')), kid: issuer.key.kid } }),
      ],
      [
        'a token carrying its own verification key in the header (embedded jwk)',
        async () => {
          const attacker = await generateKeyPair('ES256');
          return new SignJWT(claimsNow(userClaims))
            .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jwk: await exportJWK(attacker.publicKey) })
            .sign(attacker.privateKey);
        },
      ],
      ['a JWT that is not an access token (typ JWT)', async () => issuer.sign(userClaims, { typ: 'JWT' })],
      ['a token with neither roles nor client_id', async () => issuer.sign({ sub: 'user-1' })],
      [
        'a client token whose sub is not its client_id',
        async () => issuer.sign({ sub: 'someone', client_id: 'talad-admin', scope: 'catalog:write' }),
      ],
      ['garbage', async () => 'not.a.jwt'],
    ];

    it.each(forgeries)('%s', async (_name, forge) => {
      const error = await rejection(await forge());
      expect(error.kind).toBe('unauthenticated');
      expect(error.code).toBe('AUTH_TOKEN_INVALID');
      expect(error.message).toBe('the access token is not valid');
    });
  });

  it('tolerates a little clock skew on exp but not more', async () => {
    expect((await verifier.verify(await issuer.sign(userClaims, { expiresIn: -10 }))).kind).toBe('user');
    expect((await rejection(await issuer.sign(userClaims, { expiresIn: -31 }))).code).toBe('AUTH_TOKEN_INVALID');
  });

  it('refuses a token that is not valid yet (nbf in the future)', async () => {
    const key = issuer.key;
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ...userClaims, nbf: now + 600 })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 900)
      .sign(key.privateKey);
    expect((await rejection(token)).code).toBe('AUTH_TOKEN_INVALID');
  });

  it('checks expiry against the injected clock', async () => {
    const clock = manualClock(new Date());
    const timed = createTokenVerifier({ jwksUrl: issuer.jwksUrl, issuer: ISSUER, audience: AUDIENCE, clock });
    const token = await issuer.sign(userClaims, { expiresIn: 300 });
    expect((await timed.verify(token)).kind).toBe('user');
    clock.advance(400_000);
    expect((await rejection(token, timed)).code).toBe('AUTH_TOKEN_INVALID');
  });

  it('refetches the key set for an unknown kid, but at most once per cooldown', async () => {
    const local = await startTestIssuer();
    try {
      const cooled = createTokenVerifier({
        jwksUrl: local.jwksUrl,
        issuer: ISSUER,
        audience: AUDIENCE,
        cooldownMs: 300,
      });
      await cooled.verify(await local.sign(userClaims));
      expect(local.fetches).toBe(1);

      const flood = await Promise.all(
        Array.from({ length: 25 }, async (_, index) =>
          local.sign(userClaims, { key: await createTestKey(`made-up-${index}`) }),
        ),
      );
      for (const token of flood) expect((await rejection(token, cooled)).code).toBe('AUTH_TOKEN_INVALID');
      expect(local.fetches).toBe(1);

      // After a rotation the new key is published; once the cooldown has passed, its kid is fetched.
      const rotated = await createTestKey('key-2');
      local.publish(rotated);
      await new Promise((resolve) => setTimeout(resolve, 350));
      const caller = await cooled.verify(await local.sign(userClaims, { key: rotated }));
      expect(caller).toMatchObject({ kind: 'user', userId: 'user-1' });
      expect(local.fetches).toBe(2);
    } finally {
      await local.close();
    }
  });

  it('answers 503, not 401, when the key set cannot be fetched', async () => {
    const down = createTokenVerifier({
      jwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json',
      issuer: ISSUER,
      audience: AUDIENCE,
      fetchTimeoutMs: 1_000,
    });
    const error = await rejection(await issuer.sign(userClaims), down);
    expect(error.kind).toBe('unavailable');
    expect(error.code).toBe('AUTH_KEYS_UNAVAILABLE');
  });

  it('takes a verified token at its word for a while, then checks its signature again', async () => {
    const clock = manualClock(new Date());
    let published = [issuer.key.publicJwk];
    const cached = createTokenVerifier({
      keySet: async () => ({ keys: published }),
      issuer: ISSUER,
      audience: AUDIENCE,
      clock,
      verifiedForMs: 60_000,
    });
    const token = await issuer.sign(userClaims, { expiresIn: 300 });
    expect((await cached.verify(token)).kind).toBe('user');

    // The key is withdrawn: the token was verified a moment ago, and is still taken as such.
    published = [];
    clock.advance(59_000);
    expect((await cached.verify(token)).kind).toBe('user');
    // Once that while has passed, its signature is checked again, against a key set without its key.
    clock.advance(2_000);
    expect((await rejection(token, cached)).code).toBe('AUTH_TOKEN_INVALID');
  });

  it('never takes a token at its word past its expiry', async () => {
    const clock = manualClock(new Date());
    const cached = createTokenVerifier({
      jwksUrl: issuer.jwksUrl,
      issuer: ISSUER,
      audience: AUDIENCE,
      clock,
      verifiedForMs: 3_600_000,
    });
    const token = await issuer.sign(userClaims, { expiresIn: 60 });
    expect((await cached.verify(token)).kind).toBe('user');
    clock.advance(95_000);
    expect((await rejection(token, cached)).code).toBe('AUTH_TOKEN_INVALID');
  });

  it('verifies against a local key set without HTTP', async () => {
    const before = issuer.fetches;
    const local = createTokenVerifier({
      keySet: async () => ({ keys: [issuer.key.publicJwk] }),
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    expect((await local.verify(await issuer.sign(userClaims))).kind).toBe('user');
    expect((await rejection(await issuer.sign(userClaims, { key: await createTestKey('other') }), local)).code).toBe(
      'AUTH_TOKEN_INVALID',
    );
    expect(issuer.fetches).toBe(before);
  });
});

function claimsNow(claims: Record<string, unknown>): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { ...claims, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 300 };
}

async function hmacSigned(secret: Uint8Array): Promise<string> {
  return new SignJWT(claimsNow(userClaims))
    .setProtectedHeader({ alg: 'HS256', kid: issuer.key.kid, typ: 'at+jwt' })
    .sign(secret);
}
