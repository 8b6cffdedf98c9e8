/**
 * The basket service's published HTTP contract. A line keeps the product's name and price as they
 * were when it was added, refreshed by catalog's product events; the order prices lines itself.
 */
import { z } from 'zod';
import { MoneySchema } from '@talad/contracts-common';

export const MAX_BASKET_LINES = 50;
export const MAX_BASKET_QUANTITY = 20;

export const BasketLineSchema = z.object({
  productId: z.uuid(),
  sku: z.string(),
  name: z.string(),
  imageUrl: z.string(),
  size: z.string().nullable(),
  quantity: z.int().positive(),
  unitPrice: MoneySchema,
  lineTotal: MoneySchema,
  /** False once catalog deleted the product: the line stays visible but cannot be ordered. */
  available: z.boolean(),
});
export type BasketLine = z.infer<typeof BasketLineSchema>;

export const BasketSchema = z.object({
  customerId: z.uuid(),
  lines: z.array(BasketLineSchema),
  subtotal: MoneySchema,
  itemCount: z.int().nonnegative(),
  updatedAt: z.iso.datetime().nullable(),
});
export type Basket = z.infer<typeof BasketSchema>;

export const BasketItemParamsSchema = z.strictObject({ productId: z.uuid() });
export const PutBasketItemSchema = z.strictObject({
  quantity: z.int().min(1).max(MAX_BASKET_QUANTITY),
  size: z.string().min(1).max(20).optional(),
});
export type PutBasketItem = z.infer<typeof PutBasketItemSchema>;
