import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createServiceApp, type ServiceApp } from '@talad/service';
import { AUDIENCE, encodeSegment, ISSUER, startTestIssuer, type TestIssuer } from '../test-fixtures/test-issuer.ts';
import { registerAuthentication } from './authentication.ts';
import { requireUser } from './require-caller.ts';
import { createTokenVerifier } from './token-verifier.ts';

/** The access hook on a real service app, with tokens checked against a JWKS served over HTTP. */
let issuer: TestIssuer;
let app: ServiceApp;
let customer: string;
let admin: string;
let seeder: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  app = await createServiceApp({ name: 'test', logger: createLogger({ service: 'test', level: 'silent' }) });
  registerAuthentication(app, {
    verifier: createTokenVerifier({ jwksUrl: issuer.jwksUrl, issuer: ISSUER, audience: AUDIENCE }),
    realm: 'talad',
  });
  app.get('/hello', { config: { access: 'public' } }, async (request) => ({ caller: request.caller?.kind ?? null }));
  app.get('/mine', { config: { access: 'customer' } }, async (request) => ({ userId: requireUser(request).userId }));
  app.get('/everyone', { config: { access: 'admin' } }, async () => ({ ok: true }));
  app.post('/products', { config: { access: { scope: 'catalog:write' } } }, async () => ({ ok: true }));
  app.delete('/products', { config: { access: ['admin', { scope: 'catalog:write' }] } }, async () => ({ ok: true }));
  customer = await issuer.sign({ sub: 'customer-1', roles: ['customer'] });
  admin = await issuer.sign({ sub: 'admin-1', roles: ['admin'] });
  seeder = await issuer.sign({ sub: 'seeder', client_id: 'seeder', scope: 'catalog:write' });
});

afterAll(async () => {
  await app.close();
  await issuer.close();
});

function call(method: 'GET' | 'POST' | 'DELETE', url: string, token?: string) {
  return app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

describe('registerAuthentication', () => {
  it('lets anyone call a public route, and tells it who calls when the token is good', async () => {
    expect((await call('GET', '/hello')).json()).toEqual({ caller: null });
    expect((await call('GET', '/hello', customer)).json()).toEqual({ caller: 'user' });
    const forged = await call('GET', '/hello', 'not.a.token');
    expect(forged.statusCode).toBe(200);
    expect(forged.json()).toEqual({ caller: null });
  });

  it('answers a protected route called without a token with 401 problem+json and a Bearer challenge', async () => {
    const response = await call('GET', '/mine');
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="talad"');
    expect(response.json()).toMatchObject({ status: 401, code: 'AUTH_TOKEN_MISSING' });
  });

  it('treats another authorization scheme as no token', async () => {
    const response = await app.inject({ url: '/mine', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('AUTH_TOKEN_MISSING');
  });

  it.each([
    [
      'alg: none',
      () => `${encodeSegment({ alg: 'none', typ: 'at+jwt' })}.${encodeSegment({ sub: 'x', roles: ['admin'] })}.`,
    ],
    ['an expired token', () => issuer.sign({ sub: 'customer-1', roles: ['customer'] }, { expiresIn: -120 })],
    ['a token for another audience', () => issuer.sign({ sub: 'customer-1', roles: ['customer'] }, { audience: 'x' })],
  ])('answers %s with 401 invalid_token', async (_name, forge) => {
    const response = await call('GET', '/mine', await forge());
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="talad", error="invalid_token"');
    expect(response.json()).toMatchObject({ code: 'AUTH_TOKEN_INVALID', detail: 'the access token is not valid' });
  });

  it('gives the handler the caller, narrowed to a user', async () => {
    const response = await call('GET', '/mine', customer);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ userId: 'customer-1' });
  });

  it('admits an admin to a customer route, but not a machine client', async () => {
    expect((await call('GET', '/mine', admin)).json()).toEqual({ userId: 'admin-1' });
    const client = await call('GET', '/mine', seeder);
    expect(client.statusCode).toBe(403);
    expect(client.json().code).toBe('AUTH_FORBIDDEN');
  });

  it('answers a customer calling an admin-only route with 403 problem+json', async () => {
    const response = await call('GET', '/everyone', customer);
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 403, code: 'AUTH_FORBIDDEN' });
    expect((await call('GET', '/everyone', admin)).statusCode).toBe(200);
  });

  it('admits a client to a scope route only with the scope, and no person by scope alone', async () => {
    expect((await call('POST', '/products', seeder)).statusCode).toBe(200);
    const other = await issuer.sign({ sub: 'reporter', client_id: 'reporter', scope: 'orders:read' });
    const refused = await call('POST', '/products', other);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer realm="talad", error="insufficient_scope", scope="catalog:write"',
    );
    expect((await call('POST', '/products', admin)).statusCode).toBe(403);
  });

  it('admits any one rule of a list', async () => {
    expect((await call('DELETE', '/products', admin)).statusCode).toBe(200);
    expect((await call('DELETE', '/products', seeder)).statusCode).toBe(200);
    expect((await call('DELETE', '/products', customer)).statusCode).toBe(403);
  });

  it("keeps the chassis's health, metrics and OpenAPI routes open, and unknown routes a plain 404", async () => {
    for (const url of ['/health/live', '/health/ready', '/metrics', '/openapi.json']) {
      expect((await call('GET', url)).statusCode, url).toBe(200);
    }
    const missing = await call('GET', '/nowhere');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('ROUTE_NOT_FOUND');
  });

  it('refuses to register a route that declares no access, or a malformed one', async () => {
    const strict = await createServiceApp({ name: 'strict', logger: createLogger({ service: 's', level: 'silent' }) });
    strict.get('/registered-before', async () => ({ secret: 42 }));
    registerAuthentication(strict, {
      verifier: createTokenVerifier({ jwksUrl: issuer.jwksUrl, issuer: ISSUER, audience: AUDIENCE }),
    });
    expect(() => strict.get('/forgotten', async () => ({}))).toThrow(/GET \/forgotten declares no access/);
    expect(() => strict.get('/typo', { config: { access: 'customers' as never } }, async () => ({}))).toThrow(
      /declares no access/,
    );
    expect(() => strict.get('/empty', { config: { access: [] } }, async () => ({}))).toThrow(/declares no access/);
    // A route the hook never saw registered is closed to everyone, signed in or not.
    const closed = await strict.inject({ url: '/registered-before', headers: { authorization: `Bearer ${admin}` } });
    expect(closed.statusCode).toBe(403);
    expect(closed.json().code).toBe('AUTH_ACCESS_UNDECLARED');
    await strict.close();
  });
});
