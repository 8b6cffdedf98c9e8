import {
  ProductChangesSchema,
  ProductCreated,
  ProductDeleted,
  ProductDraftSchema,
  ProductIdParamsSchema,
  ProductSchema,
  ProductUpdated,
} from '@talad/contracts-catalog';
import { DomainError, type Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import type { ServiceApp } from '@talad/service';
import { z } from 'zod';
import { CatalogErrorCode } from '../error-codes.ts';
import { createProduct, deleteProduct, updateProduct } from './product-admin.ts';

/** Administrators (people with the admin role, or the admin command line's machine client). */
export const CATALOG_WRITERS = ['admin', { scope: 'catalog:write' }] as const;

/**
 * Product administration. Every change and its event commit in one transaction (the outbox), so
 * consumers never miss a change and never hear of one that was rolled back.
 */
export function registerProductAdminRoutes(app: ServiceApp, messaging: Messaging, clock: Clock): void {
  const config = { access: CATALOG_WRITERS };
  const notFound = (id: string): DomainError =>
    new DomainError('not-found', CatalogErrorCode.ProductNotFound, `no product with id ${id}`);

  app.post(
    '/products',
    { config, schema: { summary: 'Create a product', body: ProductDraftSchema, response: { 201: ProductSchema } } },
    async (request, reply) => {
      const product = await messaging.transaction(async (tx) => {
        const created = await createProduct(tx, request.body, clock);
        await messaging.publish(tx, ProductCreated, { product: created }, { key: created.id });
        return created;
      });
      return reply.code(201).header('location', `/products/${product.id}`).send(product);
    },
  );

  app.patch(
    '/products/:id',
    {
      config,
      schema: {
        summary: 'Change a product (price, names, sizes …)',
        params: ProductIdParamsSchema,
        body: ProductChangesSchema,
        response: { 200: ProductSchema },
      },
    },
    async (request) =>
      messaging.transaction(async (tx) => {
        const product = await updateProduct(tx, request.params.id, request.body, clock);
        if (!product) throw notFound(request.params.id);
        const changed = Object.keys(request.body);
        await messaging.publish(tx, ProductUpdated, { product, changed }, { key: product.id });
        return product;
      }),
  );

  app.delete(
    '/products/:id',
    {
      config,
      schema: { summary: 'Delete a product', params: ProductIdParamsSchema, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await messaging.transaction(async (tx) => {
        const deleted = await deleteProduct(tx, request.params.id);
        if (!deleted) throw notFound(request.params.id);
        await messaging.publish(
          tx,
          ProductDeleted,
          { productId: request.params.id, sku: deleted.sku },
          {
            key: request.params.id,
          },
        );
      });
      return reply.code(204).send(null);
    },
  );
}
