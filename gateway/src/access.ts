import { isDomainError } from '@talad/core';
import type { Access, AccessRule } from './route-table.ts';

/**
 * Who is calling, as the token verifier found: a signed-in person, or a service client (OAuth2 client
 * credentials). The same shape `@talad/auth`'s verifier returns.
 */
export type Caller =
  | { readonly kind: 'user'; readonly userId: string; readonly roles: readonly string[] }
  | { readonly kind: 'client'; readonly clientId: string; readonly scopes: readonly string[] };

/**
 * Checks a bearer token and says who it belongs to; rejects when the token is invalid or expired, and
 * with a `DomainError` of kind `unavailable` when the keys to check it cannot be had. `@talad/auth`'s
 * `createTokenVerifier({ jwksUrl, issuer, audience })` is one.
 */
export interface TokenVerifier {
  verify(token: string): Promise<Caller>;
}

export type AccessDecision =
  | { readonly allowed: true; readonly caller: Caller | undefined }
  | {
      readonly allowed: false;
      readonly status: 401 | 403 | 503;
      readonly detail: string;
      /** For 401: a token was sent and is bad (as opposed to missing). */
      readonly invalidToken: boolean;
    };

const BEARER = /^Bearer +([\w.~+/-]+=*)$/i;

/**
 * Decides whether a request may use a route, with the same rules as `@talad/auth` in the services: a
 * public route is open to all, and a valid token there still names the caller (for rate limits and
 * logs) while a bad one is ignored; other routes need a valid token of the right kind, role or scope.
 * When the verifier cannot check tokens at all (the issuer's keys are unreachable), protected routes
 * answer 503, not 401: the caller did nothing wrong. Without a verifier only public routes are open.
 *
 * @example
 * const decision = await decideAccess('admin', request.headers.authorization, verifier);
 * if (!decision.allowed) return refuseAccess(reply, decision);
 */
export async function decideAccess(
  access: Access,
  authorization: string | undefined,
  verifier: TokenVerifier | undefined,
): Promise<AccessDecision> {
  const token = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (isOpenToAll(access)) {
    if (token === undefined || verifier === undefined) return ANONYMOUS;
    return verifier.verify(token).then(
      (caller): AccessDecision => ({ allowed: true, caller }),
      () => ANONYMOUS,
    );
  }
  if (token === undefined || verifier === undefined) {
    return {
      allowed: false,
      status: 401,
      detail: 'this route needs a signed-in caller: send Authorization: Bearer <access token>',
      invalidToken: false,
    };
  }
  let caller: Caller;
  try {
    caller = await verifier.verify(token);
  } catch (error) {
    if (isDomainError(error) && error.kind === 'unavailable') {
      return {
        allowed: false,
        status: 503,
        detail: 'tokens cannot be checked right now; try again shortly',
        invalidToken: false,
      };
    }
    return { allowed: false, status: 401, detail: 'the bearer token is invalid or has expired', invalidToken: true };
  }
  if (!mayCall(access, caller)) {
    return { allowed: false, status: 403, detail: `this route is for ${describeAccess(access)}`, invalidToken: false };
  }
  return { allowed: true, caller };
}

const ANONYMOUS: AccessDecision = { allowed: true, caller: undefined };

/** Whether `caller` may use a route open to `access`; a list admits whom any of its rules admits. */
export function mayCall(access: Access, caller: Caller | undefined): boolean {
  if (isOpenToAll(access)) return true;
  if (caller === undefined) return false;
  return rulesOf(access).some((rule) => admits(rule, caller));
}

function admits(rule: AccessRule, caller: Caller): boolean {
  if (typeof rule === 'object') return caller.kind === 'client' && caller.scopes.includes(rule.scope);
  if (rule === 'public') return true;
  if (caller.kind !== 'user') return false;
  // An admin may do whatever a customer may.
  return rule === 'admin'
    ? caller.roles.includes('admin')
    : caller.roles.some((role) => role === 'customer' || role === 'admin');
}

/** Whether a route is open to everyone, signed in or not. */
export function isOpenToAll(access: Access): boolean {
  return rulesOf(access).includes('public');
}

function rulesOf(access: Access): readonly AccessRule[] {
  return isRuleList(access) ? access : [access];
}

// Array.isArray does not narrow a readonly array type; this does.
function isRuleList(access: Access): access is readonly AccessRule[] {
  return Array.isArray(access);
}

/** `user:<id>` or `client:<id>`: keys rate limits and cache entries, and goes in the access log. */
export function callerKey(caller: Caller): string {
  return caller.kind === 'user' ? `user:${caller.userId}` : `client:${caller.clientId}`;
}

function describeAccess(access: Access): string {
  return rulesOf(access)
    .map((rule) => {
      if (typeof rule === 'object') return `clients with the ${rule.scope} scope`;
      return rule === 'public' ? 'everyone' : rule === 'customer' ? 'signed-in customers' : 'administrators';
    })
    .join(' or ');
}
