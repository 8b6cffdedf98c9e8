import { requireUser } from '@talad/auth';
import { DomainError, isDomainError } from '@talad/core';
import {
  ProfileSchema,
  SignInRequestSchema,
  SignOutRequestSchema,
  SignUpRequestSchema,
  TokenResponseSchema,
} from '@talad/contracts-identity';
import type { ServiceApp } from '@talad/service';
import type { BlockList } from 'node:net';
import { clientAddress } from '../client-address.ts';
import { IdentityErrorCode } from '../error-codes.ts';
import type { RefreshTokens } from '../tokens/index.ts';
import { toProfile } from './account-repository.ts';
import { signIn, type SignInParts } from './sign-in.ts';
import { signUp, type SignUpParts } from './sign-up.ts';

export interface AccountRouteParts extends SignUpParts, SignInParts {
  refreshTokens: RefreshTokens;
  trustedProxies: BlockList;
}

/** Sign-up, sign-in, sign-out and the signed-in person's own profile. Request bodies are never logged. */
export function registerAccountRoutes(app: ServiceApp, parts: AccountRouteParts): void {
  app.post(
    '/sign-up',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Create a customer account',
        body: SignUpRequestSchema,
        response: { 201: ProfileSchema },
      },
    },
    async (request, reply) => {
      const account = await signUp(parts, request.body);
      request.log.info({ userId: account.id }, 'account created');
      return reply.code(201).header('location', '/me').send(toProfile(account));
    },
  );

  app.post(
    '/sign-in',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Sign in with email and password',
        description:
          'Answers an access token and a refresh token. An unknown email and a wrong password get the same ' +
          '401; repeated failures for an account or from an address get 429 with Retry-After.',
        body: SignInRequestSchema,
        response: { 200: TokenResponseSchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const address = clientAddress(request.ip, request.headers['x-forwarded-for'], parts.trustedProxies);
      try {
        return await signIn(parts, { ...request.body, address });
      } catch (error) {
        const retryAfter = isDomainError(error) ? error.details?.['retryAfterSeconds'] : undefined;
        if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
        throw error;
      }
    },
  );

  app.post(
    '/sign-out',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Sign out: revoke the refresh token and every token rotated from the same sign-in',
        description: 'Always 204, whether or not the token was known, so it reveals nothing.',
        body: SignOutRequestSchema,
      },
    },
    async (request, reply) => {
      await parts.refreshTokens.revokeFamily(request.body.refresh_token, 'sign-out');
      return reply.code(204).send();
    },
  );

  app.get(
    '/me',
    {
      config: { access: 'customer' },
      schema: { summary: 'The signed-in person', response: { 200: ProfileSchema } },
    },
    async (request) => {
      const account = await parts.accounts.findById(requireUser(request).userId);
      if (!account)
        throw new DomainError('not-found', IdentityErrorCode.AccountNotFound, 'this account no longer exists');
      return toProfile(account);
    },
  );
}
