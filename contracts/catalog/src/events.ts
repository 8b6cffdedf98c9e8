import { z } from 'zod';
import { defineMessage } from '@talad/messaging';
import { ProductSchema } from './products.ts';

/**
 * The catalog's events, published on `catalog.events` keyed by product id, so one product's events
 * arrive in order. Consumers keep copies of what they need (basket names and prices, ordering's price
 * replica) instead of asking the catalog at the moment they need it.
 */
export const ProductCreated = defineMessage({
  type: 'catalog.ProductCreated.v1',
  kind: 'event',
  schema: z.object({ product: ProductSchema }),
});

/** The whole product as it is after the change, so a consumer never has to merge partial updates. */
export const ProductUpdated = defineMessage({
  type: 'catalog.ProductUpdated.v1',
  kind: 'event',
  schema: z.object({ product: ProductSchema, changed: z.array(z.string()) }),
});

export const ProductDeleted = defineMessage({
  type: 'catalog.ProductDeleted.v1',
  kind: 'event',
  schema: z.object({ productId: z.uuid(), sku: z.string() }),
});

export const CATALOG_EVENTS = [ProductCreated, ProductUpdated, ProductDeleted] as const;
