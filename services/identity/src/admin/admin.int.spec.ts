import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountRepository, ensureAdmin, verifyCustomer } from '../accounts/index.ts';
import { createPasswordHasher } from '../passwords/index.ts';
import { createLogger } from '@talad/service';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  bearer,
  NOTIFICATION_CLIENT_SECRET,
  PASSWORD,
  startIdentity,
  tokenRequest,
  type IdentityHarness,
} from '../testing/identity-harness.ts';

/** The admin account from the environment, admin-only routes, disabling, and VerifyCustomer's decision. */
let identity: IdentityHarness;
let adminToken: string;

beforeAll(async () => {
  identity = await startIdentity({ prefix: 'identity_admin' });
  adminToken = (await identity.signIn(ADMIN_EMAIL, ADMIN_PASSWORD)).access_token;
});

afterAll(() => identity.close());

describe('the admin account', () => {
  it('is created from ADMIN_EMAIL and ADMIN_PASSWORD with the admin role', async () => {
    const me = await identity.app.inject({ url: '/me', headers: bearer(adminToken) });
    expect(me.json()).toMatchObject({ email: ADMIN_EMAIL, roles: ['admin'] });
  });

  it('is not made from an existing customer account with that email, nor with a weak password', async () => {
    const hasher = createPasswordHasher({ N: 2 ** 10, r: 8, p: 1 });
    const parts = {
      accounts: createAccountRepository(identity.db.pool),
      hasher,
      clock: identity.clock,
      logger: createLogger({ service: 'identity', level: 'silent' }),
    };
    await identity.signUp('squatter@example.com');
    await ensureAdmin(parts, { email: 'squatter@example.com', password: 'Another password 1' });
    expect((await parts.accounts.findByEmail('squatter@example.com'))?.roles).toEqual(['customer']);
    await expect(ensureAdmin(parts, { email: 'new-admin@example.com', password: 'weak' })).rejects.toThrow(
      /ADMIN_PASSWORD must be at least 10/,
    );
    await expect(ensureAdmin(parts, { email: 'half@example.com', password: undefined })).rejects.toThrow(/together/);
    expect(await parts.accounts.findByEmail('new-admin@example.com')).toBeUndefined();
  });
});

describe('GET /admin/customers', () => {
  it('answers a customer with 403 problem+json', async () => {
    const { tokens } = await identity.customer('nosy');
    const response = await identity.app.inject({ url: '/admin/customers', headers: bearer(tokens.access_token) });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe('AUTH_FORBIDDEN');
  });

  it('answers a machine client with 403 too: admin is a role of people', async () => {
    const client = await identity.app.inject(
      tokenRequest({
        grant_type: 'client_credentials',
        client_id: 'talad-admin',
        client_secret: 'talad-admin-client-secret-for-tests',
      }),
    );
    const response = await identity.app.inject({
      url: '/admin/customers',
      headers: bearer(client.json().access_token),
    });
    expect(response.statusCode).toBe(403);
  });

  it('lists accounts newest first, paged, without password hashes', async () => {
    await identity.signUp('newest@example.com');
    const response = await identity.app.inject({ url: '/admin/customers?pageSize=2', headers: bearer(adminToken) });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ page: 1, pageSize: 2, total: expect.any(Number) });
    expect(body.total).toBeGreaterThanOrEqual(3);
    expect(body.items[0]).toMatchObject({ email: 'newest@example.com', disabled: false });
    expect(response.body).not.toContain('scrypt');
  });
});

describe('GET /admin/customers/:id', () => {
  it('gives admins and the notification client (customers:read) one account’s email and name', async () => {
    const profile = await identity.customer('mailed');
    const admin = await identity.app.inject({ url: `/admin/customers/${profile.id}`, headers: bearer(adminToken) });
    expect(admin.statusCode).toBe(200);
    expect(admin.json()).toMatchObject({ id: profile.id, email: profile.email, disabled: false });
    expect(typeof admin.json().name).toBe('string');
    expect(admin.body).not.toContain('password');
    const client = await identity.app.inject(
      tokenRequest({
        grant_type: 'client_credentials',
        client_id: 'notification',
        client_secret: NOTIFICATION_CLIENT_SECRET,
      }),
    );
    expect(client.json().scope).toBe('customers:read');
    const asClient = await identity.app.inject({
      url: `/admin/customers/${profile.id}`,
      headers: bearer(client.json().access_token),
    });
    expect(asClient.json()).toMatchObject({ email: profile.email });
  });

  it('answers customers 403, unknown ids 404 and malformed ids 400', async () => {
    const { tokens, ...profile } = await identity.customer('curious');
    const own = await identity.app.inject({
      url: `/admin/customers/${profile.id}`,
      headers: bearer(tokens.access_token),
    });
    expect(own.statusCode).toBe(403);
    const unknown = await identity.app.inject({
      url: '/admin/customers/0193a5f0-0000-7000-8000-000000000000',
      headers: bearer(adminToken),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('IDENTITY_CUSTOMER_NOT_FOUND');
    const malformed = await identity.app.inject({ url: '/admin/customers/nope', headers: bearer(adminToken) });
    expect(malformed.statusCode).toBe(400);
  });
});

describe('POST /admin/customers/:id/disable and verifyCustomer', () => {
  it('verifies an active customer and refuses unknown ids', async () => {
    const { id } = await identity.customer('buyer');
    expect(await verifyCustomer(identity.db.pool, id)).toEqual({ verified: true });
    expect(await verifyCustomer(identity.db.pool, '0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e')).toEqual({
      verified: false,
      reason: 'CUSTOMER_NOT_FOUND',
    });
    expect(await verifyCustomer(identity.db.pool, 'not-a-uuid')).toEqual({
      verified: false,
      reason: 'CUSTOMER_NOT_FOUND',
    });
  });

  it('disables an account: no sign-in, no refresh, no orders', async () => {
    const { id, email, tokens } = await identity.customer('banned');
    const disabled = await identity.app.inject({
      method: 'POST',
      url: `/admin/customers/${id}/disable`,
      headers: bearer(adminToken),
    });
    expect(disabled.statusCode).toBe(204);

    const signIn = await identity.app.inject({
      method: 'POST',
      url: '/sign-in',
      payload: { email, password: PASSWORD },
    });
    expect(signIn.statusCode).toBe(403);
    expect(signIn.json().code).toBe('IDENTITY_ACCOUNT_DISABLED');
    const refresh = await identity.app.inject(
      tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
    );
    expect(refresh.json().error).toBe('invalid_grant');
    expect(await verifyCustomer(identity.db.pool, id)).toEqual({ verified: false, reason: 'CUSTOMER_DISABLED' });
  });

  it('answers 404 for an unknown account', async () => {
    const response = await identity.app.inject({
      method: 'POST',
      url: '/admin/customers/0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e/disable',
      headers: bearer(adminToken),
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('IDENTITY_CUSTOMER_NOT_FOUND');
  });
});
