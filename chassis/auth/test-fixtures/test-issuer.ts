/**
 * A stand-in token issuer for the auth chassis's tests: real ES256 keys, a real JWKS served over HTTP
 * on 127.0.0.1 (counting its fetches), and a signer for good and forged tokens.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const ISSUER = 'https://issuer.test';
export const AUDIENCE = 'talad';

export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface TestIssuer {
  readonly jwksUrl: string;
  /** How many times the JWKS was fetched. */
  readonly fetches: number;
  /** The key whose public half is published first. */
  readonly key: TestKey;
  /** Publishes another key (as after a rotation). */
  publish(key: TestKey): void;
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

export interface SignOptions {
  key?: TestKey;
  /** Seconds from now; negative for a token that has expired. Default 300. */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
  typ?: string;
}

export async function createTestKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const key = await createTestKey('key-1');
  const published: JWK[] = [key.publicJwk];
  let fetches = 0;
  const server = createServer((_request, response) => {
    fetches += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get fetches() {
      return fetches;
    },
    key,
    publish: (another) => published.push(another.publicJwk),
    sign: async (claims, options = {}) => {
      const signer = options.key ?? key;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: options.typ ?? 'at+jwt' })
        .setIssuer(options.issuer ?? ISSUER)
        .setAudience(options.audience ?? AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresIn ?? 300))
        .sign(signer.privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Base64url of a JSON value, for hand-made token parts. */
export function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
