import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@talad/auth';
import {
  ADMIN_CLIENT_SECRET,
  bearer,
  startIdentity,
  TEST_SETTINGS,
  tokenRequest,
  type IdentityHarness,
} from '../testing/identity-harness.ts';

/** The OAuth 2.0 token endpoint: refresh rotation with reuse detection, and client credentials. */
let identity: IdentityHarness;

beforeAll(async () => {
  identity = await startIdentity({ prefix: 'identity_tokens' });
});

afterAll(() => identity.close());

const refresh = (refreshToken: string) =>
  identity.app.inject(tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }));
const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
});

describe('grant_type=refresh_token', () => {
  it('answers new tokens and spends the refresh token it was given', async () => {
    const { tokens } = await identity.customer('rotating');
    const first = await refresh(tokens.refresh_token);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const next = first.json();
    expect(next).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect((await identity.app.inject({ url: '/me', headers: bearer(next.access_token) })).statusCode).toBe(200);
    expect((await refresh(next.refresh_token)).statusCode).toBe(200);
  });

  it('revokes the whole family when a spent refresh token comes back, the rotated-to token included', async () => {
    const { email, tokens } = await identity.customer('stolen');
    const otherSession = await identity.signIn(email);
    const rotated = (await refresh(tokens.refresh_token)).json();

    // The thief replays the token the customer already spent.
    const replay = await refresh(tokens.refresh_token);
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'the refresh token is invalid, expired or revoked',
    });
    // The customer's newest token died with its family...
    expect((await refresh(rotated.refresh_token)).json().error).toBe('invalid_grant');
    // ...but the customer's other sign-in (another family) lives on.
    expect((await refresh(otherSession.refresh_token)).statusCode).toBe(200);
    const { rows } = await identity.db.pool.query(
      `SELECT revoked_reason FROM refresh_token_families f JOIN users u ON u.id = f.user_id
       WHERE u.email = $1 ORDER BY f.created_at`,
      [email],
    );
    expect(rows.map((row: { revoked_reason: string | null }) => row.revoked_reason)).toEqual(['reuse', null]);
  });

  it('refuses an expired refresh token', async () => {
    const { tokens } = await identity.customer('sleepy');
    identity.clock.advance(31 * 86_400_000);
    expect((await refresh(tokens.refresh_token)).json().error).toBe('invalid_grant');
  });

  it('refuses a made-up refresh token', async () => {
    expect((await refresh('made-up')).json().error).toBe('invalid_grant');
  });
});

describe('grant_type=client_credentials', () => {
  it('gives a client authenticated with HTTP Basic a token carrying its scopes and no refresh token', async () => {
    const response = await identity.app.inject(
      tokenRequest({ grant_type: 'client_credentials' }, basic('talad-admin', ADMIN_CLIENT_SECRET)),
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'catalog:write inventory:write shipping:write messaging:admin inventory:read payment:read ordering:read',
    });
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({
      sub: 'talad-admin',
      client_id: 'talad-admin',
      scope: 'catalog:write inventory:write shipping:write messaging:admin inventory:read payment:read ordering:read',
      iss: TEST_SETTINGS.issuer,
      aud: 'talad',
    });
  });

  it('accepts the credentials in the form, and narrows the scope on request', async () => {
    const response = await identity.app.inject(
      tokenRequest({
        grant_type: 'client_credentials',
        client_id: 'talad-admin',
        client_secret: ADMIN_CLIENT_SECRET,
        scope: 'catalog:write',
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().scope).toBe('catalog:write');
  });

  it('refuses a scope the client does not have with invalid_scope', async () => {
    const response = await identity.app.inject(
      tokenRequest(
        { grant_type: 'client_credentials', scope: 'catalog:write payments:refund' },
        basic('talad-admin', ADMIN_CLIENT_SECRET),
      ),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_scope');
  });

  it.each([
    ['a wrong secret', 'talad-admin', 'not-the-secret'],
    ['an unknown client', 'nobody', ADMIN_CLIENT_SECRET],
  ])('answers %s with 401 invalid_client and a Basic challenge', async (_case, id, secret) => {
    const response = await identity.app.inject(tokenRequest({ grant_type: 'client_credentials' }, basic(id, secret)));
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm="talad"/);
    expect(response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('answers 401 invalid_client when no credentials come at all', async () => {
    const response = await identity.app.inject(tokenRequest({ grant_type: 'client_credentials' }));
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('invalid_client');
  });

  it('refuses a client that authenticates twice (Basic and form)', async () => {
    const response = await identity.app.inject(
      tokenRequest(
        { grant_type: 'client_credentials', client_id: 'talad-admin', client_secret: ADMIN_CLIENT_SECRET },
        basic('talad-admin', ADMIN_CLIENT_SECRET),
      ),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });

  it('gives a client token no way into a customer route', async () => {
    const { access_token } = (
      await identity.app.inject(
        tokenRequest({ grant_type: 'client_credentials' }, basic('talad-admin', ADMIN_CLIENT_SECRET)),
      )
    ).json();
    const response = await identity.app.inject({ url: '/me', headers: bearer(access_token) });
    expect(response.statusCode).toBe(403);
  });
});

describe('malformed token requests', () => {
  it.each([
    ['no grant_type', 'refresh_token=x', 'invalid_request'],
    ['an unknown grant_type', 'grant_type=password&username=a&password=b', 'unsupported_grant_type'],
    ['a repeated parameter', 'grant_type=refresh_token&refresh_token=a&refresh_token=b', 'invalid_request'],
    ['a missing refresh_token', 'grant_type=refresh_token', 'invalid_request'],
  ])('answers %s with 400 %s', async (_case, payload, error) => {
    const response = await identity.app.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe(error);
  });

  it('answers a JSON body with 400 invalid_request', async () => {
    const response = await identity.app.inject({
      method: 'POST',
      url: '/token',
      payload: { grant_type: 'client_credentials' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });
});

describe('tokens as other services see them', () => {
  it('are accepted by the auth chassis verifying against the JWKS over HTTP', async () => {
    const { id, tokens } = await identity.customer('remote');
    const served = await identity.another({});
    await served.listen({ port: 0, host: '127.0.0.1' });
    const { port } = served.server.address() as AddressInfo;
    const verifier = createTokenVerifier({
      jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      issuer: TEST_SETTINGS.issuer,
      audience: TEST_SETTINGS.audience,
      clock: identity.clock,
    });
    expect(await verifier.verify(tokens.access_token)).toEqual({
      kind: 'user',
      userId: id,
      roles: ['customer'],
      token: tokens.access_token,
    });
  });
});
