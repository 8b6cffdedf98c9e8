import { createPublicKey } from 'node:crypto';
import { generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '@talad/service';
import { bearer, PASSWORD, startIdentity, TEST_SETTINGS, type IdentityHarness } from './testing/identity-harness.ts';

/**
 * Every forged or misdirected token the issue lists, presented to identity's own protected routes:
 * each one is a 401 with `error="invalid_token"`, and none of them reaches the handler.
 */
let identity: IdentityHarness;
let customer: { id: string; email: string; token: string };

beforeAll(async () => {
  identity = await startIdentity({ prefix: 'identity_forged' });
  const { id, email, tokens } = await identity.customer('victim');
  customer = { id, email, token: tokens.access_token };
});

afterAll(() => identity.close());

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (token: string, part: number) =>
  JSON.parse(Buffer.from(token.split('.')[part] ?? '', 'base64url').toString()) as Record<string, unknown>;
const claimsOf = (token: string) => decode(token, 1);
const headerOf = (token: string) => decode(token, 0);

/** A genuine sign-in through an app with other settings, on the same database and keys. */
async function signInThrough(other: ServiceApp): Promise<string> {
  const response = await other.inject({
    method: 'POST',
    url: '/sign-in',
    payload: { email: customer.email, password: PASSWORD },
  });
  expect(response.statusCode).toBe(200);
  return response.json<{ access_token: string }>().access_token;
}

async function publishedKey(): Promise<JWK & { kid: string }> {
  return (await identity.app.inject('/.well-known/jwks.json')).json<{ keys: [JWK & { kid: string }] }>().keys[0];
}

const forgeries: Array<[string, () => Promise<string>]> = [
  [
    'alg: none',
    async () =>
      `${segment({ alg: 'none', typ: 'at+jwt' })}.${segment({ ...claimsOf(customer.token), roles: ['admin'] })}.`,
  ],
  [
    'HS256 signed with the public key',
    async () => {
      const jwk = await publishedKey();
      const pem = String(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }));
      return new SignJWT({ ...claimsOf(customer.token), roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256', kid: jwk.kid, typ: 'at+jwt' })
        .sign(new TextEncoder().encode(pem));
    },
  ],
  [
    'a tampered payload (customer promoted to admin)',
    async () => {
      const [header, , signature] = customer.token.split('.');
      return `${header}.${segment({ ...claimsOf(customer.token), roles: ['admin'] })}.${signature}`;
    },
  ],
  [
    'an expired token',
    async () => {
      const token = (await identity.signIn(customer.email)).access_token;
      identity.clock.advance((TEST_SETTINGS.accessTokenTtlSeconds + 31) * 1000);
      return token;
    },
  ],
  [
    'a token for another audience, signed by the real key',
    async () => {
      const token = await signInThrough(await identity.another({ audience: 'another-shop' }));
      expect(claimsOf(token).aud).toBe('another-shop');
      return token;
    },
  ],
  [
    'a token from another issuer, signed by the real key',
    async () => {
      const token = await signInThrough(await identity.another({ issuer: 'http://evil.test/api/identity' }));
      expect(claimsOf(token).iss).toBe('http://evil.test/api/identity');
      return token;
    },
  ],
  [
    'a token signed by an unknown key (unknown kid)',
    async () => {
      const { privateKey } = await generateKeyPair('ES256');
      return new SignJWT({ ...claimsOf(customer.token), roles: ['admin'] })
        .setProtectedHeader({ alg: 'ES256', kid: 'unknown-kid', typ: 'at+jwt' })
        .sign(privateKey);
    },
  ],
  [
    "a token signed by another key under the real key's kid",
    async () => {
      const { privateKey } = await generateKeyPair('ES256');
      return new SignJWT({ ...claimsOf(customer.token), roles: ['admin'] })
        .setProtectedHeader({ alg: 'ES256', kid: String(headerOf(customer.token)['kid']), typ: 'at+jwt' })
        .sign(privateKey);
    },
  ],
];

describe('forged tokens', () => {
  it('the genuine token works, so the refusals below are about the forgery', async () => {
    expect((await identity.app.inject({ url: '/me', headers: bearer(customer.token) })).statusCode).toBe(200);
  });

  it.each(forgeries)('%s: 401 on a customer route and on an admin route', async (_name, forge) => {
    const token = await forge();
    expect(token.split('.')).toHaveLength(3);
    for (const url of ['/me', '/admin/customers']) {
      const response = await identity.app.inject({ url, headers: bearer(token) });
      expect(response.statusCode, url).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="talad", error="invalid_token"');
      expect(response.json()).toMatchObject({ code: 'AUTH_TOKEN_INVALID', detail: 'the access token is not valid' });
    }
  });
});
