import { describe, expect, it } from 'vitest';
import { decideAccess, type Access } from './access.ts';
import type { Caller } from './caller.ts';

const customer: Caller = { kind: 'user', userId: 'c', roles: ['customer'], token: 't' };
const admin: Caller = { kind: 'user', userId: 'a', roles: ['admin'], token: 't' };
const seeder: Caller = { kind: 'client', clientId: 's', scopes: ['catalog:write'], token: 't' };

describe('decideAccess', () => {
  const table: Array<[Access, Caller | undefined, string]> = [
    ['public', undefined, 'allowed'],
    ['public', seeder, 'allowed'],
    ['customer', undefined, 'unauthenticated'],
    ['customer', customer, 'allowed'],
    ['customer', admin, 'allowed'],
    ['customer', seeder, 'forbidden'],
    ['admin', customer, 'forbidden'],
    ['admin', admin, 'allowed'],
    ['admin', seeder, 'forbidden'],
    [{ scope: 'catalog:write' }, seeder, 'allowed'],
    [{ scope: 'catalog:write' }, admin, 'forbidden'],
    [{ scope: 'inventory:write' }, seeder, 'forbidden'],
    [['admin', { scope: 'catalog:write' }], admin, 'allowed'],
    [['admin', { scope: 'catalog:write' }], seeder, 'allowed'],
    [['admin', { scope: 'catalog:write' }], customer, 'forbidden'],
    [['admin', { scope: 'catalog:write' }], undefined, 'unauthenticated'],
  ];

  it.each(table)('%j for %j is %s', (access, caller, decision) => {
    expect(decideAccess(access, caller)).toBe(decision);
  });
});
