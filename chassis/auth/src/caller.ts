/** The roles a signed-in person can hold. An admin may do everything a customer may. */
export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A person signed in through the identity service. */
export interface UserCaller {
  readonly kind: 'user';
  readonly userId: string;
  readonly roles: readonly Role[];
  /** The bearer token as received, to pass on when this request calls another service for the user. */
  readonly token: string;
}

/** A machine (a tool, a batch job) authenticated with the OAuth 2.0 client credentials grant. */
export interface ClientCaller {
  readonly kind: 'client';
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly token: string;
}

/** Who is calling: switch on `kind`. */
export type Caller = UserCaller | ClientCaller;

/**
 * Reads the caller from an access token's verified claims. A user token carries `roles`; a client
 * token carries `client_id` and a space-separated `scope` (RFC 9068). A token that is neither, or
 * both, is refused rather than guessed at. Roles this code does not know are dropped, so a newer
 * issuer cannot grant anything an older service does not understand.
 *
 * @example
 * callerFromClaims({ sub: 'u1', roles: ['customer'] }, token); // { kind: 'user', userId: 'u1', roles: ['customer'], token }
 */
export function callerFromClaims(claims: Record<string, unknown>, token: string): Caller | undefined {
  const { sub, roles, client_id: clientId, scope } = claims;
  if (typeof sub !== 'string' || sub === '') return undefined;
  const isUser = Array.isArray(roles);
  const isClient = typeof clientId === 'string';
  if (isUser === isClient) return undefined;
  if (isUser) {
    const known = roles.filter((role): role is Role => ROLES.includes(role as Role));
    return { kind: 'user', userId: sub, roles: known, token };
  }
  if (clientId !== sub || (scope !== undefined && typeof scope !== 'string')) return undefined;
  const scopes = (scope ?? '').split(' ').filter(Boolean);
  return { kind: 'client', clientId, scopes, token };
}
