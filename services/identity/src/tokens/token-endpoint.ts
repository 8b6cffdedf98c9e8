import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ClientCredentialsGrantSchema,
  OAuthErrorSchema,
  RefreshTokenGrantSchema,
  TokenResponseSchema,
  type OAuthErrorCode,
  type TokenResponse,
} from '@talad/contracts-identity';
import type { Pool } from '@talad/pg';
import type { ServiceApp } from '@talad/service';
import { authenticateClient } from '../clients/index.ts';
import type { FormBody } from '../form-body.ts';
import type { PasswordHasher } from '../passwords/index.ts';
import type { Sessions } from './sessions.ts';

export interface TokenEndpointParts {
  pool: Pool;
  hasher: PasswordHasher;
  sessions: Sessions;
}

/** An RFC 6749 §5.2 error: answered as `{ error, error_description }`, not as problem+json. */
class OAuthFailure extends Error {
  readonly error: OAuthErrorCode;
  readonly status: 400 | 401;
  readonly challenge: string | undefined;
  constructor(error: OAuthErrorCode, description: string, status: 400 | 401 = 400, challenge?: string) {
    super(description);
    this.error = error;
    this.status = status;
    this.challenge = challenge;
  }
}

/**
 * `POST /token`, the OAuth 2.0 token endpoint (RFC 6749 §3.2), form-encoded. Grants:
 * - `refresh_token` (§6): rotates the refresh token; a spent one revokes its whole family.
 * - `client_credentials` (§4.4): a machine client authenticated by HTTP Basic (§2.3.1) or by
 *   `client_id` and `client_secret` in the form (never both), optionally narrowing its `scope`.
 * Errors are 400 `invalid_request`, `invalid_grant`, `unsupported_grant_type`, `invalid_scope`, and
 * 401 `invalid_client` (with a Basic challenge when the client tried Basic, §5.2).
 */
export function registerTokenEndpoint(app: ServiceApp, parts: TokenEndpointParts): void {
  app.post(
    '/token',
    {
      config: { access: 'public' },
      schema: {
        summary: 'OAuth 2.0 token endpoint',
        description:
          'application/x-www-form-urlencoded. grant_type=refresh_token&refresh_token=..., or ' +
          'grant_type=client_credentials[&scope=...] with HTTP Basic client authentication or client_id and client_secret.',
        response: { 200: TokenResponseSchema, 400: OAuthErrorSchema, 401: OAuthErrorSchema },
      },
    },
    async (request, reply) => {
      // RFC 6749 §5.1: token responses must never be cached.
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      try {
        return await grant(request, parts);
      } catch (error) {
        if (!(error instanceof OAuthFailure)) throw error;
        return answerFailure(reply, error);
      }
    },
  );
}

async function grant(request: FastifyRequest, parts: TokenEndpointParts): Promise<TokenResponse> {
  const form = formOf(request);
  switch (form['grant_type']) {
    case 'refresh_token':
      return refreshGrant(request, form, parts);
    case 'client_credentials':
      return clientCredentialsGrant(request, form, parts);
    case undefined:
      throw new OAuthFailure('invalid_request', 'grant_type is required');
    default:
      throw new OAuthFailure('unsupported_grant_type', 'grant_type must be refresh_token or client_credentials');
  }
}

async function refreshGrant(request: FastifyRequest, form: Record<string, string>, parts: TokenEndpointParts) {
  const parsed = RefreshTokenGrantSchema.safeParse(form);
  if (!parsed.success) throw new OAuthFailure('invalid_request', 'refresh_token is required');
  const result = await parts.sessions.refresh(parsed.data.refresh_token);
  if ('access_token' in result) return result;
  if (result.outcome === 'reused') {
    request.log.warn(
      { userId: result.userId, familyId: result.familyId },
      'a spent refresh token was presented again; its whole family is revoked',
    );
  }
  throw new OAuthFailure('invalid_grant', 'the refresh token is invalid, expired or revoked');
}

async function clientCredentialsGrant(
  request: FastifyRequest,
  form: Record<string, string>,
  parts: TokenEndpointParts,
) {
  const parsed = ClientCredentialsGrantSchema.safeParse(form);
  if (!parsed.success) throw new OAuthFailure('invalid_request', 'malformed client credentials request');
  const basic = basicCredentials(request.headers.authorization);
  const inForm = parsed.data.client_id !== undefined || parsed.data.client_secret !== undefined;
  if (basic && inForm) {
    throw new OAuthFailure('invalid_request', 'authenticate the client with HTTP Basic or with the form, not both');
  }
  const credentials =
    basic ??
    (parsed.data.client_id && parsed.data.client_secret
      ? { id: parsed.data.client_id, secret: parsed.data.client_secret }
      : undefined);
  const challenge = request.headers.authorization ? 'Basic realm="talad", charset="UTF-8"' : undefined;
  const client =
    credentials && (await authenticateClient(parts.pool, parts.hasher, credentials.id, credentials.secret));
  if (!client) throw new OAuthFailure('invalid_client', 'client authentication failed', 401, challenge);

  const requested = parsed.data.scope?.split(' ').filter(Boolean);
  const granted = requested && requested.length > 0 ? requested : client.scopes;
  if (granted.some((scope) => !client.scopes.includes(scope))) {
    throw new OAuthFailure('invalid_scope', 'the client may not ask for some of these scopes');
  }
  return parts.sessions.forClient(client.id, [...new Set(granted)]);
}

/** The form's fields, each given once (§3.2: "parameters MUST NOT be included more than once"). */
function formOf(request: FastifyRequest): Record<string, string> {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthFailure('invalid_request', 'the body must be application/x-www-form-urlencoded');
  }
  const body = (request.body ?? {}) as FormBody;
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (Array.isArray(value)) throw new OAuthFailure('invalid_request', `${name} is given more than once`);
    form[name] = value;
  }
  return form;
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined by a colon and base64-encoded. */
function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' ')),
    };
  } catch {
    return undefined;
  }
}

function answerFailure(reply: FastifyReply, failure: OAuthFailure) {
  if (failure.challenge) reply.header('www-authenticate', failure.challenge);
  return reply.code(failure.status).send({ error: failure.error, error_description: failure.message });
}
