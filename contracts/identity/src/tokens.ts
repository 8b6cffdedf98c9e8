import { z } from 'zod';

export const GRANT_TYPES = ['refresh_token', 'client_credentials'] as const;
export const GrantTypeSchema = z.enum(GRANT_TYPES);
export type GrantType = z.infer<typeof GrantTypeSchema>;

/**
 * The answer of sign-in and of the token endpoint (RFC 6749 §5.1). A refresh token comes with a
 * person's sign-in and each refresh; a client credentials grant gets none, and its granted `scope`.
 */
export const TokenResponseSchema = z
  .object({
    access_token: z.string().describe('A JWT (ES256) to send as `Authorization: Bearer <token>`'),
    token_type: z.literal('Bearer'),
    expires_in: z.int().positive().describe('Seconds until the access token expires'),
    refresh_token: z
      .string()
      .optional()
      .describe('Single use: each refresh answers with a new one, and using a spent one signs the session out'),
    scope: z.string().optional().describe('Space-separated scopes granted to a client'),
  })
  .describe('Tokens issued');
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

export const OAUTH_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
] as const;
export const OAuthErrorCodeSchema = z.enum(OAUTH_ERRORS);
export type OAuthErrorCode = z.infer<typeof OAuthErrorCodeSchema>;

/** The token endpoint's error body (RFC 6749 §5.2), not problem+json: OAuth clients expect this shape. */
export const OAuthErrorSchema = z
  .object({ error: OAuthErrorCodeSchema, error_description: z.string().optional() })
  .describe('An OAuth 2.0 error');
export type OAuthError = z.infer<typeof OAuthErrorSchema>;

/** `grant_type=refresh_token` (RFC 6749 §6), form-encoded. */
export const RefreshTokenGrantSchema = z.object({
  grant_type: z.literal('refresh_token'),
  refresh_token: z.string().min(1).max(200),
});

/**
 * `grant_type=client_credentials` (RFC 6749 §4.4), form-encoded. The client authenticates with HTTP Basic
 * or with `client_id` and `client_secret` in the form, never both.
 */
export const ClientCredentialsGrantSchema = z.object({
  grant_type: z.literal('client_credentials'),
  scope: z.string().max(1000).optional(),
  client_id: z.string().min(1).max(200).optional(),
  client_secret: z.string().min(1).max(500).optional(),
});

export const TokenRequestSchema = z
  .discriminatedUnion('grant_type', [RefreshTokenGrantSchema, ClientCredentialsGrantSchema])
  .describe('application/x-www-form-urlencoded');
export type TokenRequest = z.infer<typeof TokenRequestSchema>;
