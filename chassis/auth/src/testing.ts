/**
 * A token issuer for a service's in-process tests: tokens signed the way identity signs them (ES256,
 * issuer, audience, `at+jwt`), with a key made for the test, and the verifier that trusts that key.
 *
 * @example
 * const issuer = await createTestIssuer();
 * const app = await buildBasketApp({ verifier: issuer.verifier, ... });
 * const token = await issuer.tokenFor({ sub: customerId, roles: ['customer'] });
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createTokenVerifier, type TokenVerifier } from './token-verifier.ts';

export interface TestIssuer {
  readonly verifier: TokenVerifier;
  tokenFor(claims: { sub: string; roles?: string[]; client_id?: string; scope?: string }): Promise<string>;
}

const ISSUER = 'http://test/api/identity';
const AUDIENCE = 'talad';

export async function createTestIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  return {
    verifier: createTokenVerifier({ keySet: async () => ({ keys: [jwk] }), issuer: ISSUER, audience: AUDIENCE }),
    tokenFor: (claims) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'test-key', typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey),
  };
}
