import { describe, expect, it } from 'vitest';
import { callerKey, mayCall, type Caller } from './access.ts';
import { upstreamPathOf } from './route-handler.ts';

const customer: Caller = { kind: 'user', userId: 'u-1', roles: ['customer'] };
const admin: Caller = { kind: 'user', userId: 'a-1', roles: ['customer', 'admin'] };
const client: Caller = { kind: 'client', clientId: 'ordering', scopes: ['stock:read'] };

describe('who may call a route', () => {
  it.each([
    ['public', undefined, true],
    ['customer', undefined, false],
    ['customer', customer, true],
    ['customer', client, false],
    ['admin', customer, false],
    ['admin', admin, true],
  ] as const)('%s route, caller %o → %s', (access, caller, allowed) => {
    expect(mayCall(access, caller)).toBe(allowed);
  });

  it('admits a person with no customer role nowhere but public routes', () => {
    expect(mayCall('customer', { kind: 'user', userId: 'x', roles: [] })).toBe(false);
  });

  it('admits, for a list of rules, whom any rule admits', () => {
    const writers = ['admin', { scope: 'catalog:write' }] as const;
    expect(mayCall(writers, admin)).toBe(true);
    expect(mayCall(writers, { kind: 'client', clientId: 'seed', scopes: ['catalog:write'] })).toBe(true);
    expect(mayCall(writers, customer)).toBe(false);
    expect(mayCall(writers, client)).toBe(false);
    expect(mayCall(['customer', 'public'], undefined)).toBe(true);
  });

  it('opens a scope route to clients holding the scope only', () => {
    expect(mayCall({ scope: 'stock:read' }, client)).toBe(true);
    expect(mayCall({ scope: 'stock:write' }, client)).toBe(false);
    expect(mayCall({ scope: 'stock:read' }, admin)).toBe(false);
  });

  it('keys callers by kind and id', () => {
    expect(callerKey(customer)).toBe('user:u-1');
    expect(callerKey(client)).toBe('client:ordering');
  });
});

describe('upstream path', () => {
  it.each([
    ['/api/catalog/products?q=nmd', {}, '/products?q=nmd'],
    ['/api/catalog', {}, '/'],
    ['/api/catalog?q=1', {}, '/?q=1'],
    ['/api/catalog/admin/products/7', { upstreamPrefix: '/admin' }, '/admin/products/7'],
    ['/api/catalog/admin', { upstreamPrefix: '/admin' }, '/admin'],
    ['/api/catalog/admin?x=1', { upstreamPrefix: '/admin' }, '/admin?x=1'],
  ])('%s → %s', (url, extra, expected) => {
    const prefix = 'upstreamPrefix' in extra ? '/api/catalog/admin' : '/api/catalog';
    expect(upstreamPathOf(url, { prefix, ...extra })).toBe(expected);
  });
});
