import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, PASSWORD, startIdentity, type IdentityHarness } from '../testing/identity-harness.ts';

/** Sign-up, sign-in (with its throttle), sign-out and /me through the HTTP API, on a real database. */
let identity: IdentityHarness;

beforeAll(async () => {
  identity = await startIdentity({ prefix: 'identity_accounts' });
});

afterAll(() => identity.close());

function signIn(email: string, password: string, remoteAddress = '127.0.0.1') {
  return identity.app.inject({ method: 'POST', url: '/sign-in', payload: { email, password }, remoteAddress });
}

describe('POST /sign-up', () => {
  it('creates a customer with a normalised email and never answers the password or its hash', async () => {
    const response = await identity.app.inject({
      method: 'POST',
      url: '/sign-up',
      payload: { email: '  Somchai@Example.COM ', password: PASSWORD, name: ' Somchai Jaidee ' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['location']).toBe('/me');
    const body = response.json();
    expect(body).toEqual({
      id: expect.any(String),
      email: 'somchai@example.com',
      name: 'Somchai Jaidee',
      roles: ['customer'],
      createdAt: expect.any(String),
    });
    expect(response.body).not.toContain(PASSWORD);
    const { rows } = await identity.db.pool.query('SELECT password_hash FROM users WHERE id = $1', [body.id]);
    expect(rows[0].password_hash).toMatch(/^scrypt\$/);
    expect(rows[0].password_hash).not.toContain(PASSWORD);
  });

  it('answers 409 for an email that already has an account, whatever its case', async () => {
    await identity.signUp('taken@example.com');
    const response = await identity.app.inject({
      method: 'POST',
      url: '/sign-up',
      payload: { email: 'TAKEN@example.com', password: PASSWORD, name: 'Someone Else' },
    });
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe('IDENTITY_EMAIL_TAKEN');
  });

  it.each([
    ['too short', 'Short1!', /at least 10/],
    ['one kind of character', 'abcdefghijkl', /two kinds/],
    ['the email itself', 'weak@example.com', /email/],
  ])('refuses a password that is %s with 400 and the reason', async (_case, password, reason) => {
    const response = await identity.app.inject({
      method: 'POST',
      url: '/sign-up',
      payload: { email: 'weak@example.com', password, name: 'Weak' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'IDENTITY_WEAK_PASSWORD', reasons: [expect.stringMatching(reason)] });
  });

  it('refuses a malformed email and unknown fields, naming them', async () => {
    const response = await identity.app.inject({
      method: 'POST',
      url: '/sign-up',
      payload: { email: 'not-an-email', password: PASSWORD, name: 'X', roles: ['admin'] },
    });
    expect(response.statusCode).toBe(400);
    const names = response.json().errors.map((error: { name: string }) => error.name);
    expect(names).toEqual(expect.arrayContaining(['email', 'roles']));
  });
});

describe('POST /sign-in', () => {
  it('answers a bearer access token and a refresh token, never to be cached', async () => {
    await identity.signUp('nok@example.com');
    const response = await signIn('NOK@example.com', PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toEqual({
      access_token: expect.stringMatching(/^ey[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(/^[\w-]{43}$/),
    });
    const me = await identity.app.inject({ url: '/me', headers: bearer(body.access_token) });
    expect(me.json()).toMatchObject({ email: 'nok@example.com', roles: ['customer'] });
  });

  it('gives an unknown email exactly the answer a wrong password gets', async () => {
    await identity.signUp('known@example.com');
    const wrongPassword = await signIn('known@example.com', 'Wrong password 1', '198.51.100.1');
    const unknownEmail = await signIn('nobody@example.com', 'Wrong password 1', '198.51.100.2');
    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const comparable = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(comparable(wrongPassword.json())).toEqual(comparable(unknownEmail.json()));
    expect(wrongPassword.json()).toMatchObject({
      code: 'IDENTITY_INVALID_CREDENTIALS',
      detail: 'the email or the password is wrong',
    });
  });

  it('answers 429 with Retry-After after 5 failures for an account, even with the right password', async () => {
    await identity.signUp('target@example.com');
    for (let attempt = 1; attempt <= 5; attempt++) {
      const address = `203.0.113.${attempt}`;
      expect((await signIn('target@example.com', `Guess number ${attempt}`, address)).statusCode).toBe(401);
    }
    const blocked = await signIn('target@example.com', PASSWORD, '203.0.113.99');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['content-type']).toContain('application/problem+json');
    expect(blocked.json().code).toBe('IDENTITY_TOO_MANY_SIGN_IN_ATTEMPTS');
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // An unknown email is throttled just the same, so the 429 does not reveal which emails exist.
    for (let attempt = 1; attempt <= 5; attempt++) await signIn('ghost@example.com', 'Guess 12345', '192.0.2.1');
    expect((await signIn('ghost@example.com', 'Guess 12345', '192.0.2.2')).statusCode).toBe(429);

    identity.clock.advance(retryAfter * 1000);
    expect((await signIn('target@example.com', PASSWORD, '203.0.113.99')).statusCode).toBe(200);
  });

  it('throttles one client address trying many accounts', async () => {
    const address = '198.51.100.77';
    for (let attempt = 1; attempt <= 20; attempt++) {
      expect((await signIn(`spray${attempt}@example.com`, 'Spray 123456', address)).statusCode).toBe(401);
    }
    await identity.signUp('bystander@example.com');
    expect((await signIn('bystander@example.com', PASSWORD, address)).statusCode).toBe(429);
    expect((await signIn('bystander@example.com', PASSWORD, '198.51.100.78')).statusCode).toBe(200);
  });
});

describe('GET /me', () => {
  it('answers 401 with a Bearer challenge without a token', async () => {
    const response = await identity.app.inject('/me');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="talad"');
    expect(response.json().code).toBe('AUTH_TOKEN_MISSING');
  });
});

describe('POST /sign-out', () => {
  it('revokes the refresh token, and answers 204 for a token it does not know', async () => {
    const { tokens } = await identity.customer('leaving');
    const out = await identity.app.inject({
      method: 'POST',
      url: '/sign-out',
      payload: { refresh_token: tokens.refresh_token },
    });
    expect(out.statusCode).toBe(204);
    const refresh = await identity.app.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=refresh_token&refresh_token=${tokens.refresh_token}`,
    });
    expect(refresh.statusCode).toBe(400);
    expect(refresh.json()).toMatchObject({ error: 'invalid_grant' });
    const unknown = await identity.app.inject({
      method: 'POST',
      url: '/sign-out',
      payload: { refresh_token: 'never-issued' },
    });
    expect(unknown.statusCode).toBe(204);
  });
});

describe('GET /openapi.json', () => {
  it('documents every route of the service', async () => {
    const response = await identity.app.inject('/openapi.json');
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json().paths)).toEqual(
      expect.arrayContaining([
        '/sign-up',
        '/sign-in',
        '/sign-out',
        '/token',
        '/me',
        '/me/addresses',
        '/me/addresses/{id}',
        '/.well-known/jwks.json',
        '/.well-known/openid-configuration',
        '/admin/customers',
        '/admin/customers/{id}/disable',
        '/admin/keys/rotate',
      ]),
    );
  });
});
