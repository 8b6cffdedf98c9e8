export { type Caller, type UserCaller, type ClientCaller, type Role, ROLES, callerFromClaims } from './caller.ts';
export {
  createTokenVerifier,
  ACCEPTED_ALGORITHMS,
  ACCESS_TOKEN_TYPE,
  type TokenVerifier,
  type TokenVerifierOptions,
  type RemoteKeysOptions,
  type LocalKeysOptions,
} from './token-verifier.ts';
export { decideAccess, type Access, type AccessRule, type AccessDecision } from './access.ts';
export {
  registerAuthentication,
  DEFAULT_PUBLIC_ROUTES,
  type AuthenticationOptions,
  type AnyFastifyInstance,
} from './authentication.ts';
export { requireUser, requireClient, requireCaller } from './require-caller.ts';
export { bearerToken } from './bearer-token.ts';
export { AuthErrorCode } from './error-codes.ts';
