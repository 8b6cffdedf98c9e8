export { createAccessTokenSigner, type AccessTokenSigner, type TokenSubject } from './access-tokens.ts';
export {
  createRefreshTokens,
  type RefreshTokens,
  type RefreshOutcome,
  type RevocationReason,
} from './refresh-tokens.ts';
export { createSessions, type Sessions } from './sessions.ts';
export { registerTokenEndpoint } from './token-endpoint.ts';
export { registerDiscoveryRoutes } from './discovery-routes.ts';
