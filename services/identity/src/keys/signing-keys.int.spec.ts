import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startIdentity, TEST_SETTINGS, type IdentityHarness } from '../testing/identity-harness.ts';

/** Signing keys through the API: JWKS, discovery, rotation on demand and by age, sealed private keys. */
let identity: IdentityHarness;
let adminToken: string;

beforeAll(async () => {
  identity = await startIdentity({ prefix: 'identity_keys' });
  adminToken = (await identity.signIn('admin@talad.test', 'Admin password 2026')).access_token;
});

afterAll(() => identity.close());

const kidOf = (token: string) => decodeProtectedHeader(token).kid;
const publishedKids = async () =>
  (await identity.app.inject('/.well-known/jwks.json'))
    .json<{ keys: Array<{ kid: string }> }>()
    .keys.map((key) => key.kid);
const me = (token: string) => identity.app.inject({ url: '/me', headers: bearer(token) });

describe('GET /.well-known/openid-configuration', () => {
  it('says where the keys and the token endpoint are, under the public issuer', async () => {
    const response = await identity.app.inject('/.well-known/openid-configuration');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      issuer: TEST_SETTINGS.issuer,
      jwks_uri: `${TEST_SETTINGS.issuer}/.well-known/jwks.json`,
      token_endpoint: `${TEST_SETTINGS.issuer}/token`,
      grant_types_supported: ['refresh_token', 'client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('publishes public EC keys only, and the signer is among them', async () => {
    const response = await identity.app.inject('/.well-known/jwks.json');
    expect(response.statusCode).toBe(200);
    const [key, ...rest] = response.json().keys;
    expect(rest).toEqual([]);
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: kidOf(adminToken) });
    expect(key).not.toHaveProperty('d');
  });

  it('keeps private keys sealed in the database', async () => {
    const { rows } = await identity.db.pool.query('SELECT private_jwk FROM signing_keys');
    for (const row of rows) {
      expect(Object.keys(row.private_jwk)).toEqual(['encrypted']);
      expect(JSON.stringify(row.private_jwk)).not.toMatch(/"d"/);
    }
  });
});

describe('key rotation', () => {
  it('is for admins only', async () => {
    const { tokens } = await identity.customer('curious');
    const response = await identity.app.inject({
      method: 'POST',
      url: '/admin/keys/rotate',
      headers: bearer(tokens.access_token),
    });
    expect(response.statusCode).toBe(403);
  });

  it('publishes the new key first, signs with it after the lead, and keeps the old one until its tokens expire', async () => {
    const { email, tokens: before } = await identity.customer('rotation');
    const oldKid = kidOf(before.access_token);

    const rotation = await identity.app.inject({
      method: 'POST',
      url: '/admin/keys/rotate',
      headers: bearer(adminToken),
    });
    expect(rotation.statusCode).toBe(200);
    const { kid: newKid, activatesAt } = rotation.json();
    expect(newKid).not.toBe(oldKid);
    expect(await publishedKids()).toEqual([oldKid, newKid]);
    // Within the lead, the old key still signs: verifiers may not have fetched the new one yet.
    expect(kidOf((await identity.signIn(email)).access_token)).toBe(oldKid);

    identity.clock.set(new Date(new Date(activatesAt).getTime() + 1000));
    const after = await identity.signIn(email);
    expect(kidOf(after.access_token)).toBe(newKid);
    // A token the old key signed stays good until it expires.
    expect((await me(before.access_token)).statusCode).toBe(200);
    expect(await publishedKids()).toEqual([oldKid, newKid]);

    // Past every expiry the old key could have signed (plus grace), it leaves the key set.
    identity.clock.advance(900_000 + 121_000);
    expect(await publishedKids()).toEqual([newKid]);
    expect((await me(before.access_token)).statusCode).toBe(401);
    expect(kidOf((await identity.signIn(email)).access_token)).toBe(newKid);
  });

  it('happens by itself once the signer is KEY_ROTATION_DAYS old', async () => {
    const { email, tokens } = await identity.customer('patient');
    const current = kidOf(tokens.access_token);
    identity.clock.advance(30 * 86_400_000);
    // The first use after the rotation falls due publishes the next key, which signs after the lead.
    expect(kidOf((await identity.signIn(email)).access_token)).toBe(current);
    const kids = await publishedKids();
    expect(kids).toHaveLength(2);
    identity.clock.advance(61_000);
    expect(kidOf((await identity.signIn(email)).access_token)).toBe(kids[1]);
  });
});
