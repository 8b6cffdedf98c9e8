import {
  SetStockSchema,
  StockConsistencySchema,
  StockProductParamsSchema,
  StockRecordSchema,
} from '@talad/contracts-inventory';
import { DomainError, type Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import { withTransaction, type Pool } from '@talad/pg';
import type { ServiceApp } from '@talad/service';
import { InventoryErrorCode } from '../error-codes.ts';
import { readConsistency } from '../reservations/reservation-store.ts';
import { findStock, lockStock, setOnHand, toStockRecord } from './stock-store.ts';

/** People with the admin role, and machine clients allowed to change stock. */
export const INVENTORY_WRITERS = ['admin', { scope: 'inventory:write' }] as const;
/** Who may read the administration views: writers, and clients that only check (invariant checkers). */
export const INVENTORY_READERS = ['admin', { scope: 'inventory:write' }, { scope: 'inventory:read' }] as const;

export interface StockAdminParts {
  pool: Pool;
  messaging: Messaging;
  clock: Clock;
}

/** Stock administration: counts after a stock take, and the consistency view. */
export function registerStockAdminRoutes(app: ServiceApp, { pool, messaging, clock }: StockAdminParts): void {
  const notFound = (productId: string): DomainError =>
    new DomainError('not-found', InventoryErrorCode.ProductNotFound, `no stock is kept for product ${productId}`);

  app.get(
    '/admin/stock/:productId',
    {
      config: { access: INVENTORY_READERS },
      schema: {
        summary: "A product's stock counters",
        params: StockProductParamsSchema,
        response: { 200: StockRecordSchema },
      },
    },
    async (request) => {
      const stock = await findStock(pool, request.params.productId);
      if (!stock) throw notFound(request.params.productId);
      return toStockRecord(stock);
    },
  );

  app.put(
    '/admin/stock/:productId',
    {
      config: { access: INVENTORY_WRITERS },
      schema: {
        summary: "Set a product's on-hand stock",
        description: 'After a stock take or a delivery. Refused (409) below the units reserved for orders.',
        params: StockProductParamsSchema,
        body: SetStockSchema,
        response: { 200: StockRecordSchema },
      },
    },
    async (request) =>
      messaging.transaction(async (tx) => {
        const { productId } = request.params;
        const stock = (await lockStock(tx, [productId])).get(productId.toLowerCase());
        if (!stock) throw notFound(productId);
        if (request.body.onHand < stock.reserved) {
          throw new DomainError(
            'conflict',
            InventoryErrorCode.BelowReserved,
            `${stock.reserved} units of product ${productId} are reserved; on hand cannot go below that`,
            { reserved: stock.reserved },
          );
        }
        return toStockRecord(await setOnHand(tx, messaging, stock, request.body.onHand, clock.now()));
      }),
  );

  app.get(
    '/admin/consistency',
    {
      config: { access: INVENTORY_READERS },
      schema: {
        summary: 'Stock counters and reservations, for invariant checks',
        description:
          'In one snapshot: per product that a reservation names or that has units reserved, onHand, reserved ' +
          '(must equal its held lines) and committed; and every reservation with its order and state.',
        response: { 200: StockConsistencySchema },
      },
    },
    async () => withTransaction(pool, readConsistency, { isolation: 'repeatable read', readOnly: true }),
  );
}
