import type { Role, TokenResponse } from '@talad/contracts-identity';
import type { AccessTokenSigner } from './access-tokens.ts';
import type { RefreshOutcome, RefreshTokens } from './refresh-tokens.ts';

export interface Sessions {
  /** A person signed in: an access token and the first refresh token of a new family. */
  open(user: { id: string; roles: readonly Role[] }): Promise<TokenResponse>;
  /** A refresh: the next tokens, or why there are none (the caller answers `invalid_grant`). */
  refresh(refreshToken: string): Promise<TokenResponse | Exclude<RefreshOutcome, { outcome: 'rotated' }>>;
  /** A machine client authenticated: an access token with the granted scopes, and no refresh token. */
  forClient(clientId: string, scopes: readonly string[]): Promise<TokenResponse>;
}

/**
 * Token responses (RFC 6749 §5.1) for the three ways in: sign-in, refresh, client credentials.
 *
 * @example
 * const tokens = await sessions.open({ id: account.id, roles: account.roles });
 */
export function createSessions(accessTokens: AccessTokenSigner, refreshTokens: RefreshTokens): Sessions {
  const bearer = (accessToken: string) =>
    ({ access_token: accessToken, token_type: 'Bearer', expires_in: accessTokens.ttlSeconds }) as const;
  return {
    async open(user) {
      const refreshToken = await refreshTokens.issue(user.id);
      const accessToken = await accessTokens.sign({ kind: 'user', userId: user.id, roles: user.roles });
      return { ...bearer(accessToken), refresh_token: refreshToken };
    },

    async refresh(refreshToken) {
      const result = await refreshTokens.rotate(refreshToken);
      if (result.outcome !== 'rotated') return result;
      const accessToken = await accessTokens.sign({ kind: 'user', userId: result.userId, roles: result.roles });
      return { ...bearer(accessToken), refresh_token: result.refreshToken };
    },

    async forClient(clientId, scopes) {
      const accessToken = await accessTokens.sign({ kind: 'client', clientId, scopes });
      return { ...bearer(accessToken), scope: scopes.join(' ') };
    },
  };
}
