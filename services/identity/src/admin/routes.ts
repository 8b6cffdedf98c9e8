import {
  CustomerIdParamsSchema,
  CustomerListSchema,
  CustomerSummarySchema,
  KeyRotationSchema,
  ListCustomersQuerySchema,
} from '@talad/contracts-identity';
import { DomainError, type Clock } from '@talad/core';
import type { Pool } from '@talad/pg';
import type { ServiceApp } from '@talad/service';
import { toProfile, type AccountRepository } from '../accounts/index.ts';
import { IdentityErrorCode } from '../error-codes.ts';
import type { SigningKeyStore } from '../keys/index.ts';
import type { RefreshTokens } from '../tokens/index.ts';
import { disableCustomer } from './disable-customer.ts';

export interface AdminRouteParts {
  pool: Pool;
  clock: Clock;
  accounts: AccountRepository;
  refreshTokens: RefreshTokens;
  keys: SigningKeyStore;
}

/** Routes for admins only: the accounts list, disabling an account, rotating the signing key. */
export function registerAdminRoutes(app: ServiceApp, parts: AdminRouteParts): void {
  app.get(
    '/admin/customers',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Every account, newest first',
        querystring: ListCustomersQuerySchema,
        response: { 200: CustomerListSchema },
      },
    },
    async (request) => {
      const { page, pageSize } = request.query;
      const { items, total } = await parts.accounts.list(page, pageSize);
      return {
        items: items.map((account) => ({ ...toProfile(account), disabled: account.disabledAt !== null })),
        page,
        pageSize,
        total,
      };
    },
  );

  app.get(
    '/admin/customers/:id',
    {
      // Admins, and notification, which mails customers about their orders.
      config: { access: ['admin', { scope: 'customers:read' }] },
      schema: {
        summary: 'One account: its email and name',
        params: CustomerIdParamsSchema,
        response: { 200: CustomerSummarySchema },
      },
    },
    async (request) => {
      const account = await parts.accounts.findById(request.params.id);
      if (!account) throw new DomainError('not-found', IdentityErrorCode.CustomerNotFound, 'no account with this id');
      return { ...toProfile(account), disabled: account.disabledAt !== null };
    },
  );

  app.post(
    '/admin/customers/:id/disable',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Disable an account and revoke its refresh tokens',
        params: CustomerIdParamsSchema,
      },
    },
    async (request, reply) => {
      if (!(await disableCustomer(parts, request.params.id))) {
        throw new DomainError('not-found', IdentityErrorCode.CustomerNotFound, 'no account with this id');
      }
      request.log.info({ userId: request.params.id }, 'account disabled');
      return reply.code(204).send();
    },
  );

  app.post(
    '/admin/keys/rotate',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Rotate the signing key',
        description:
          'Publishes a new key now; it signs from activatesAt (after verifiers have had time to fetch it). ' +
          'The current key keeps being published until every token it signed has expired.',
        response: { 200: KeyRotationSchema },
      },
    },
    async (request) => {
      const { kid, activatesAt } = await parts.keys.rotate();
      request.log.info({ kid, activatesAt }, 'signing key rotation scheduled');
      return { kid, activatesAt: activatesAt.toISOString() };
    },
  );
}
