import { z } from 'zod';
import { MoneySchema } from './products.ts';

/** The fields an administrator may set, without defaults (a default inside a partial change would reset a field). */
const productFields = {
  name: z.string().trim().min(2).max(200),
  description: z.string().trim().max(4_000),
  brand: z.string().trim().min(1).max(100),
  category: z.string().trim().min(1).max(100),
  price: MoneySchema.refine((price) => price.amount > 0, { error: 'must be more than zero', path: ['amount'] }),
  sizes: z.array(z.string().trim().min(1).max(20)).max(40),
  imageUrl: z.string().max(500),
};

/** What an administrator sends to create a product; the catalog assigns id, rating and timestamps. */
export const ProductDraftSchema = z
  .strictObject({
    sku: z
      .string()
      .regex(/^[A-Z0-9][A-Z0-9-]{2,39}$/, 'must be 3–40 upper-case letters, digits or dashes')
      .describe('Stock keeping unit, unique, e.g. SNK-ADI-000123'),
    ...productFields,
    description: productFields.description.default(''),
    sizes: productFields.sizes.default([]),
    imageUrl: productFields.imageUrl.default(''),
  })
  .describe('A new product');
export type ProductDraft = z.output<typeof ProductDraftSchema>;

/** A partial change to a product: only the fields sent change. The sku never changes. */
export const ProductChangesSchema = z
  .strictObject(productFields)
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, { error: 'send at least one field to change' })
  .describe('Changes to a product');
export type ProductChanges = z.output<typeof ProductChangesSchema>;
