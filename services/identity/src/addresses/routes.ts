import { z } from 'zod';
import { requireUser } from '@talad/auth';
import {
  AddressIdParamsSchema,
  AddressInputSchema,
  AddressListSchema,
  AddressSchema,
  MAX_ADDRESSES,
} from '@talad/contracts-identity';
import { DomainError } from '@talad/core';
import type { ServiceApp } from '@talad/service';
import { IdentityErrorCode } from '../error-codes.ts';
import type { AddressRepository } from './address-repository.ts';

const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, { error: 'must be 1 to 200 visible ASCII characters' })
    .optional()
    .describe('Makes a retried create return the address the first attempt made, instead of a second one'),
});

/**
 * `/me/addresses`: the signed-in customer's own delivery addresses. Someone else's address id answers
 * 404 like an unknown one: its existence is not revealed, let alone its content.
 */
export function registerAddressRoutes(app: ServiceApp, addresses: AddressRepository): void {
  const notFound = () =>
    new DomainError('not-found', IdentityErrorCode.AddressNotFound, 'you have no address with this id');

  app.get(
    '/me/addresses',
    {
      config: { access: 'customer' },
      schema: { summary: 'My delivery addresses, oldest first', response: { 200: AddressListSchema } },
    },
    async (request) => ({ items: await addresses.list(requireUser(request).userId) }),
  );

  app.post(
    '/me/addresses',
    {
      config: { access: 'customer' },
      schema: {
        summary: 'Add a delivery address',
        headers: IdempotencyHeadersSchema,
        body: AddressInputSchema,
        response: { 201: AddressSchema },
      },
    },
    async (request, reply) => {
      const { userId } = requireUser(request);
      const result = await addresses.create(userId, request.body, request.headers['idempotency-key']);
      if (result.outcome === 'limit-reached') {
        throw new DomainError(
          'unprocessable',
          IdentityErrorCode.AddressLimitReached,
          `you already keep ${MAX_ADDRESSES} addresses; delete one first`,
        );
      }
      return reply.code(201).header('location', `/me/addresses/${result.address.id}`).send(result.address);
    },
  );

  app.get(
    '/me/addresses/:id',
    {
      config: { access: 'customer' },
      schema: { summary: 'One of my addresses', params: AddressIdParamsSchema, response: { 200: AddressSchema } },
    },
    async (request) => {
      const address = await addresses.find(requireUser(request).userId, request.params.id);
      if (!address) throw notFound();
      return address;
    },
  );

  app.put(
    '/me/addresses/:id',
    {
      config: { access: 'customer' },
      schema: {
        summary: 'Replace one of my addresses',
        params: AddressIdParamsSchema,
        body: AddressInputSchema,
        response: { 200: AddressSchema },
      },
    },
    async (request) => {
      const address = await addresses.replace(requireUser(request).userId, request.params.id, request.body);
      if (!address) throw notFound();
      return address;
    },
  );

  app.delete(
    '/me/addresses/:id',
    {
      config: { access: 'customer' },
      schema: { summary: 'Delete one of my addresses', params: AddressIdParamsSchema },
    },
    async (request, reply) => {
      if (!(await addresses.remove(requireUser(request).userId, request.params.id))) throw notFound();
      return reply.code(204).send();
    },
  );
}
