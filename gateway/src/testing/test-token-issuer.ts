import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createRemoteJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWTPayload,
} from 'jose';
import { DomainError } from '@talad/core';
import type { Caller, TokenVerifier } from '../access.ts';

export interface TestTokenIssuer {
  readonly jwksUrl: string;
  /** An ES256 access token for a signed-in person. */
  userToken(userId: string, roles: string[], options?: { expiresIn?: string }): Promise<string>;
  /** An ES256 access token for a service client (client credentials). */
  clientToken(clientId: string, scopes: string[]): Promise<string>;
  /** A token signed with a key the JWKS does not hold. */
  forgedToken(userId: string): Promise<string>;
  /** Verifies against the served JWKS, as `@talad/auth` will. */
  verifier(): TokenVerifier;
  close(): Promise<void>;
}

const ISSUER = 'http://identity.test';
const AUDIENCE = 'talad-api';

/**
 * An identity provider for gateway tests: a real ES256 key pair, its JWKS served over real HTTP, tokens
 * signed with it, and a verifier fetching the JWKS the way a production one does.
 */
export async function startTestTokenIssuer(): Promise<TestTokenIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const forger = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'ES256', use: 'sig' };
  const server: Server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  const sign = (claims: JWTPayload, key: CryptoKey, expiresIn = '5m'): Promise<string> =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key-1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key);
  return {
    jwksUrl,
    userToken: (userId, roles, options = {}) => sign({ sub: userId, roles }, privateKey, options.expiresIn),
    clientToken: (clientId, scopes) =>
      sign({ sub: clientId, client_id: clientId, scope: scopes.join(' ') }, privateKey),
    forgedToken: (userId) => sign({ sub: userId, roles: ['admin'] }, forger.privateKey),
    verifier() {
      const keys = createRemoteJWKSet(new URL(jwksUrl));
      return {
        async verify(token): Promise<Caller> {
          let payload: JWTPayload;
          try {
            ({ payload } = await jwtVerify(token, keys, { issuer: ISSUER, audience: AUDIENCE }));
          } catch (error) {
            // As @talad/auth does: a bad token is the caller's fault, an unreachable key set is not.
            if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) throw error;
            throw new DomainError('unavailable', 'AUTH_KEYS_UNAVAILABLE', 'the signing keys could not be fetched');
          }
          if (typeof payload['client_id'] === 'string') {
            return {
              kind: 'client',
              clientId: payload['client_id'],
              scopes: typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [],
            };
          }
          return { kind: 'user', userId: payload.sub ?? '', roles: (payload['roles'] as string[] | undefined) ?? [] };
        },
      };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
