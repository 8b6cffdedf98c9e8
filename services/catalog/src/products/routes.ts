import {
  ProductIdParamsSchema,
  ProductSchema,
  ProductSnapshotPageSchema,
  ProductSnapshotQuerySchema,
  SearchProductsQuerySchema,
  SearchProductsResultSchema,
} from '@talad/contracts-catalog';
import { DomainError } from '@talad/core';
import type { ServiceApp } from '@talad/service';
import { CatalogErrorCode } from '../error-codes.ts';
import type { ProductRepository } from './product-repository.ts';

export function registerProductRoutes(app: ServiceApp, products: ProductRepository): void {
  app.get(
    '/products',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Search products',
        description:
          'Keyword search ranked by relevance and tolerant of typos, with filters, sort, stable paging and facet counts.',
        querystring: SearchProductsQuerySchema,
        response: { 200: SearchProductsResultSchema },
      },
    },
    async (request) => products.search(request.query),
  );

  app.get(
    '/products/snapshot',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Every product, page by page',
        description:
          'All products in id order with keyset paging, for services that copy the catalogue on their first start.',
        querystring: ProductSnapshotQuerySchema,
        response: { 200: ProductSnapshotPageSchema },
      },
    },
    async (request) => products.snapshot(request.query),
  );

  app.get(
    '/products/:id',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Get one product',
        params: ProductIdParamsSchema,
        response: { 200: ProductSchema },
      },
    },
    async (request) => {
      const product = await products.findById(request.params.id);
      if (!product) {
        throw new DomainError('not-found', CatalogErrorCode.ProductNotFound, `no product with id ${request.params.id}`);
      }
      return product;
    },
  );
}
