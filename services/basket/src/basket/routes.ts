import { AuthErrorCode, requireUser } from '@talad/auth';
import { BasketItemParamsSchema, BasketSchema, PutBasketItemSchema } from '@talad/contracts-basket';
import { DomainError, isUuid, type Clock } from '@talad/core';
import { withTransaction, type Pool } from '@talad/pg';
import type { ServiceApp } from '@talad/service';
import type { CatalogClient } from '../catalog/index.ts';
import { BasketErrorCode } from '../error-codes.ts';
import { emptyBasket, putLine, readBasket, removeLine } from './basket-repository.ts';
import { sizeFor } from './size-rule.ts';

export interface BasketRouteParts {
  pool: Pool;
  catalog: CatalogClient;
  clock: Clock;
}

/**
 * The signed-in customer's own basket: every route works on the caller's basket (the token's subject),
 * so there is no basket id to guess. Each change answers with the basket as it is after it.
 */
export function registerBasketRoutes(app: ServiceApp, parts: BasketRouteParts): void {
  const { pool, catalog, clock } = parts;
  const config = { access: 'customer' } as const;

  app.get('/basket', { config, schema: { summary: 'My basket', response: { 200: BasketSchema } } }, async (request) =>
    readBasket(pool, customerOf(request)),
  );

  app.put(
    '/basket/items/:productId',
    {
      config,
      schema: {
        summary: 'Put a product in my basket, or change its quantity or size',
        description:
          'Name, image and price are copied from the catalog now. 404 BASKET_UNKNOWN_PRODUCT, ' +
          '400 BASKET_INVALID_SIZE, 400 BASKET_TOO_MANY_LINES, 503 BASKET_CATALOG_UNAVAILABLE.',
        params: BasketItemParamsSchema,
        body: PutBasketItemSchema,
        response: { 200: BasketSchema },
      },
    },
    async (request) => {
      const customerId = customerOf(request);
      // Asked before the transaction opens: no database connection waits on the catalog.
      const product = await catalog.findProduct(request.params.productId);
      if (!product) {
        throw new DomainError(
          'not-found',
          BasketErrorCode.UnknownProduct,
          `the catalog has no product ${request.params.productId}`,
        );
      }
      const size = sizeFor(product.sizes, request.body.size);
      return withTransaction(pool, async (tx) => {
        await putLine(tx, customerId, { product, quantity: request.body.quantity, size }, clock.now());
        return readBasket(tx, customerId);
      });
    },
  );

  app.delete(
    '/basket/items/:productId',
    {
      config,
      schema: {
        summary: 'Take a product out of my basket',
        description: 'A product that is not in the basket leaves it as it is.',
        params: BasketItemParamsSchema,
        response: { 200: BasketSchema },
      },
    },
    async (request) => {
      const customerId = customerOf(request);
      return withTransaction(pool, async (tx) => {
        await removeLine(tx, customerId, request.params.productId, clock.now());
        return readBasket(tx, customerId);
      });
    },
  );

  app.delete(
    '/basket',
    { config, schema: { summary: 'Empty my basket', response: { 200: BasketSchema } } },
    async (request) => {
      const customerId = customerOf(request);
      return withTransaction(pool, async (tx) => {
        await emptyBasket(tx, customerId, clock.now());
        return readBasket(tx, customerId);
      });
    },
  );
}

/** The caller's customer id: identity's accounts are UUIDs, so any other subject has no basket here. */
function customerOf(request: Parameters<typeof requireUser>[0]): string {
  const { userId } = requireUser(request);
  if (!isUuid(userId)) throw new DomainError('forbidden', AuthErrorCode.Forbidden, 'this account cannot have a basket');
  return userId;
}
