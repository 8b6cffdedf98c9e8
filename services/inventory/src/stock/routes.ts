import { StockLevelListSchema, StockLevelQuerySchema } from '@talad/contracts-inventory';
import type { Queryable } from '@talad/pg';
import type { ServiceApp } from '@talad/service';
import { readStockLevels } from './stock-store.ts';

export function registerStockRoutes(app: ServiceApp, db: Queryable): void {
  app.get(
    '/stock',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Stock badges of products',
        description:
          'Available units and a status (in_stock, few_left at 1–5, sold_out) per product, in the order asked; ' +
          'unknown and discontinued products are left out.',
        querystring: StockLevelQuerySchema,
        response: { 200: StockLevelListSchema },
      },
    },
    async (request) => ({ items: await readStockLevels(db, request.query.productId) }),
  );
}
