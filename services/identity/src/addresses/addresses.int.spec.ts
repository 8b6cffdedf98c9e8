import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ADDRESSES } from '@talad/contracts-identity';
import { bearer, startIdentity, type IdentityHarness } from '../testing/identity-harness.ts';

/** /me/addresses: a customer's own addresses, and nobody else's. */
let identity: IdentityHarness;
let somchai: string;
let malee: string;

const home = {
  name: 'Somchai Jaidee',
  phone: '0812345678',
  line1: '99/1 Sukhumvit Soi 11',
  subdistrict: 'Khlong Toei Nuea',
  district: 'Watthana',
  province: 'Bangkok',
  postalCode: '10110',
};

beforeAll(async () => {
  identity = await startIdentity({ prefix: 'identity_addresses' });
  somchai = (await identity.customer('somchai')).tokens.access_token;
  malee = (await identity.customer('malee')).tokens.access_token;
});

afterAll(() => identity.close());

function as(token: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, headers = {}) {
  return identity.app.inject({
    method,
    url,
    headers: { ...bearer(token), ...headers },
    ...(payload ? { payload } : {}),
  });
}

describe('/me/addresses', () => {
  it('creates, reads, lists, replaces and deletes an address', async () => {
    const created = await as(somchai, 'POST', '/me/addresses', { ...home, line2: 'Floor 3' });
    expect(created.statusCode).toBe(201);
    const address = created.json();
    expect(address).toMatchObject({ ...home, line2: 'Floor 3', id: expect.any(String) });
    expect(created.headers['location']).toBe(`/me/addresses/${address.id}`);

    expect((await as(somchai, 'GET', `/me/addresses/${address.id}`)).json()).toEqual(address);
    expect((await as(somchai, 'GET', '/me/addresses')).json().items).toEqual([address]);

    const office = { ...home, line1: '1 Silom Road', subdistrict: 'Silom', district: 'Bang Rak', postalCode: '10500' };
    const replaced = await as(somchai, 'PUT', `/me/addresses/${address.id}`, office);
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ ...office, id: address.id });
    expect(replaced.json()).not.toHaveProperty('line2');

    expect((await as(somchai, 'DELETE', `/me/addresses/${address.id}`)).statusCode).toBe(204);
    expect((await as(somchai, 'GET', `/me/addresses/${address.id}`)).statusCode).toBe(404);
  });

  it("answers another customer's address with 404 on every method, and never changes it", async () => {
    const address = (await as(somchai, 'POST', '/me/addresses', home)).json();
    for (const [method, payload] of [['GET'], ['PUT', { ...home, name: 'Hijacked' }], ['DELETE']] as const) {
      const response = await as(malee, method, `/me/addresses/${address.id}`, payload);
      expect(response.statusCode, method).toBe(404);
      expect(response.json().code).toBe('IDENTITY_ADDRESS_NOT_FOUND');
      expect(response.body).not.toContain('Sukhumvit');
    }
    expect((await as(malee, 'GET', '/me/addresses')).json().items).toEqual([]);
    expect((await as(somchai, 'GET', `/me/addresses/${address.id}`)).json()).toEqual(address);
  });

  it.each([
    ['a 4-digit postal code', { postalCode: '1011' }, 'postalCode'],
    ['letters in the postal code', { postalCode: '10l10' }, 'postalCode'],
    ['a phone number that is not Thai', { phone: '+1 555 0100' }, 'phone'],
    ['an empty province', { province: '' }, 'province'],
    ['an unknown field', { country: 'TH' }, 'country'],
  ])('refuses %s with 400 naming the field', async (_case, change, field) => {
    const response = await as(somchai, 'POST', '/me/addresses', { ...home, ...change });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { name: string }) => error.name)).toContain(field);
  });

  it('refuses a malformed id with 400', async () => {
    expect((await as(somchai, 'GET', '/me/addresses/42')).statusCode).toBe(400);
  });

  it('creates once for one Idempotency-Key, however often the request is retried', async () => {
    const customer = (await identity.customer('retrying')).tokens.access_token;
    const key = { 'idempotency-key': 'create-address-7f3a' };
    const first = await as(customer, 'POST', '/me/addresses', home, key);
    const retry = await as(customer, 'POST', '/me/addresses', home, key);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json().id).toBe(first.json().id);
    expect((await as(customer, 'GET', '/me/addresses')).json().items).toHaveLength(1);
    // The same key from another customer is another customer's business.
    expect((await as(malee, 'POST', '/me/addresses', home, key)).json().id).not.toBe(first.json().id);
  });

  it(`keeps at most ${MAX_ADDRESSES} addresses per customer`, async () => {
    const hoarder = (await identity.customer('hoarder')).tokens.access_token;
    for (let index = 0; index < MAX_ADDRESSES; index++) {
      expect((await as(hoarder, 'POST', '/me/addresses', home)).statusCode).toBe(201);
    }
    const refused = await as(hoarder, 'POST', '/me/addresses', home);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('IDENTITY_ADDRESS_LIMIT_REACHED');
  });

  it('is closed to callers without a token', async () => {
    expect((await identity.app.inject('/me/addresses')).statusCode).toBe(401);
  });
});
