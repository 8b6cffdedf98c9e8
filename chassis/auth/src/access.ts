import { assertNever } from '@talad/core';
import type { Caller } from './caller.ts';

/**
 * Who may call a route:
 * - `'public'`: anyone, signed in or not (a valid token still sets the caller; a bad one is ignored);
 * - `'customer'`: any signed-in person; admins included, because an admin may do what a customer may;
 * - `'admin'`: a signed-in person with the admin role;
 * - `{ scope }`: a machine client whose token carries that scope. People never pass a scope rule: list
 *   `'admin'` beside it when admins should pass too.
 * A list means any one of its rules: `['admin', { scope: 'catalog:write' }]`.
 */
export type AccessRule = 'public' | 'customer' | 'admin' | { readonly scope: string };
export type Access = AccessRule | readonly AccessRule[];

export type AccessDecision = 'allowed' | 'unauthenticated' | 'forbidden';

/**
 * Decides whether `caller` (undefined when no valid token came) may pass `access`: a missing caller is
 * `unauthenticated` (401: sign in), a caller without the role or scope is `forbidden` (403).
 *
 * @example
 * decideAccess('admin', customer); // 'forbidden'
 * decideAccess(['admin', { scope: 'catalog:write' }], seedClient); // 'allowed'
 */
export function decideAccess(access: Access, caller: Caller | undefined): AccessDecision {
  const rules = rulesOf(access);
  if (rules.some((rule) => rule === 'public')) return 'allowed';
  if (!caller) return 'unauthenticated';
  return rules.some((rule) => admits(rule, caller)) ? 'allowed' : 'forbidden';
}

/** The scopes named by the access rules, for the `WWW-Authenticate` challenge of a 403. */
export function scopesOf(access: Access): string[] {
  return rulesOf(access).flatMap((rule) => (typeof rule === 'object' ? [rule.scope] : []));
}

/** True for a value that is a well-formed access declaration (checked when a route is registered). */
export function isAccess(value: unknown): value is Access {
  if (Array.isArray(value)) return value.length > 0 && value.every(isAccessRule);
  return isAccessRule(value);
}

function isAccessRule(value: unknown): value is AccessRule {
  if (value === 'public' || value === 'customer' || value === 'admin') return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { scope?: unknown }).scope === 'string' &&
    (value as { scope: string }).scope !== ''
  );
}

function rulesOf(access: Access): readonly AccessRule[] {
  return isRuleList(access) ? access : [access];
}

function isRuleList(access: Access): access is readonly AccessRule[] {
  return Array.isArray(access);
}

function admits(rule: AccessRule, caller: Caller): boolean {
  if (typeof rule === 'object') return caller.kind === 'client' && caller.scopes.includes(rule.scope);
  switch (rule) {
    case 'public':
      return true;
    case 'customer':
      return caller.kind === 'user' && (caller.roles.includes('customer') || caller.roles.includes('admin'));
    case 'admin':
      return caller.kind === 'user' && caller.roles.includes('admin');
    default:
      return assertNever(rule);
  }
}
