import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_CLIENT_SECRET,
  bearer,
  startIdentity,
  tokenRequest,
  type IdentityHarness,
} from './testing/identity-harness.ts';

/** What the service logs while people sign up, sign in, refresh and clients get tokens: never a secret. */
let identity: IdentityHarness;
const lines: string[] = [];

beforeAll(async () => {
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  identity = await startIdentity({ prefix: 'identity_logs', logTo: capture });
});

afterAll(() => identity.close());

describe('logs', () => {
  it('never contain a password, a token or a client secret', async () => {
    const password = 'Log-canary password 2026';
    const email = 'canary@example.com';
    const signUp = await identity.app.inject({
      method: 'POST',
      url: '/sign-up',
      payload: { email, password, name: 'Canary' },
    });
    expect(signUp.statusCode).toBe(201);
    const wrongPassword = 'Wrong canary password 9';
    expect(
      (await identity.app.inject({ method: 'POST', url: '/sign-in', payload: { email, password: wrongPassword } }))
        .statusCode,
    ).toBe(401);
    const tokens = (
      await identity.app.inject({ method: 'POST', url: '/sign-in', payload: { email, password } })
    ).json();
    const me = await identity.app.inject({ url: '/me', headers: bearer(tokens.access_token) });
    expect(me.statusCode).toBe(200);
    const refreshed = (
      await identity.app.inject(tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }))
    ).json();
    // A replay, so the reuse warning is logged too.
    await identity.app.inject(tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }));
    const client = (
      await identity.app.inject(
        tokenRequest({
          grant_type: 'client_credentials',
          client_id: 'talad-admin',
          client_secret: ADMIN_CLIENT_SECRET,
        }),
      )
    ).json();
    await identity.app.inject({
      method: 'POST',
      url: '/sign-out',
      payload: { refresh_token: refreshed.refresh_token },
    });

    const output = lines.join('');
    // The capture works: the access log and the service's own events are there.
    expect(output).toContain('"url":"/sign-in"');
    expect(output).toContain('account created');
    expect(output).toContain('its whole family is revoked');
    for (const secret of [
      password,
      wrongPassword,
      tokens.access_token,
      tokens.refresh_token,
      refreshed.access_token,
      refreshed.refresh_token,
      client.access_token,
      ADMIN_CLIENT_SECRET,
      'Admin password 2026',
    ]) {
      expect(output).not.toContain(secret);
    }
    // Not even the claims segment of a token on its own.
    expect(output).not.toContain(tokens.access_token.split('.')[1]);
  });
});
