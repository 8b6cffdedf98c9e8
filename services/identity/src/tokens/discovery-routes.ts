import { GRANT_TYPES, JwksSchema, OpenIdConfigurationSchema } from '@talad/contracts-identity';
import type { ServiceApp } from '@talad/service';
import { SIGNING_ALGORITHM, type SigningKeyStore } from '../keys/index.ts';
import { MACHINE_CLIENTS } from '../clients/index.ts';

/**
 * `GET /.well-known/jwks.json` (the public keys) and `GET /.well-known/openid-configuration` (where
 * everything is). URLs are built from the issuer, which is the public address through the gateway.
 */
export function registerDiscoveryRoutes(app: ServiceApp, parts: { keys: SigningKeyStore; issuer: string }): void {
  app.get(
    '/.well-known/jwks.json',
    {
      config: { access: 'public' },
      schema: { summary: 'Public keys that sign access tokens (JWKS)', response: { 200: JwksSchema } },
    },
    async (_request, reply) => {
      // Short: verifiers refetch on an unknown kid anyway, and a rotation must reach them within its lead.
      reply.header('cache-control', 'public, max-age=60');
      return JwksSchema.parse(await parts.keys.publicKeys());
    },
  );

  app.get(
    '/.well-known/openid-configuration',
    {
      config: { access: 'public' },
      schema: { summary: 'OpenID Connect discovery document', response: { 200: OpenIdConfigurationSchema } },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return {
        issuer: parts.issuer,
        jwks_uri: `${parts.issuer}/.well-known/jwks.json`,
        token_endpoint: `${parts.issuer}/token`,
        grant_types_supported: [...GRANT_TYPES],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        // People sign in through POST /sign-in, not an authorization endpoint, so there is no response type.
        response_types_supported: [],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
        scopes_supported: [...new Set(MACHINE_CLIENTS.flatMap((client) => client.scopes))],
        claims_supported: ['iss', 'aud', 'sub', 'exp', 'iat', 'jti', 'roles', 'client_id', 'scope'],
      };
    },
  );
}
