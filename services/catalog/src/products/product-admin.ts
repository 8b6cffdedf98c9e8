import type { Product, ProductChanges, ProductDraft } from '@talad/contracts-catalog';
import { DomainError, newId, type Clock } from '@talad/core';
import type { Queryable } from '@talad/pg';
import { CatalogErrorCode } from '../error-codes.ts';
import { toProduct, type ProductJson } from './product-repository.ts';
import { PRODUCT_JSON } from './search-query.ts';

const UNIQUE_VIOLATION = '23505';

const COLUMN_OF: Record<keyof ProductChanges, string> = {
  name: 'name',
  description: 'description',
  brand: 'brand',
  category: 'category',
  price: 'price_amount',
  sizes: 'sizes',
  imageUrl: 'image_url',
};

/**
 * Product changes by administrators, each in the caller's transaction so the change and its event
 * (published through the outbox in the same transaction) commit together or not at all.
 */
export async function createProduct(tx: Queryable, draft: ProductDraft, clock: Clock): Promise<Product> {
  const now = clock.now();
  try {
    const { rows } = await tx.query<{ product: ProductJson }>(
      `INSERT INTO products AS p (id, sku, name, description, brand, category, price_amount, currency, sizes,
         image_url, rating, rating_count, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'THB', $8, $9, NULL, 0, $10, $10)
       RETURNING ${PRODUCT_JSON} AS product`,
      [
        newId(now.getTime()),
        draft.sku,
        draft.name,
        draft.description,
        draft.brand,
        draft.category,
        draft.price.amount,
        draft.sizes,
        draft.imageUrl,
        now,
      ],
    );
    return toProduct(firstProduct(rows));
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
      throw new DomainError('conflict', CatalogErrorCode.SkuTaken, `a product with sku ${draft.sku} already exists`);
    }
    throw error;
  }
}

/** The product after the change, or null when there is no such product. */
export async function updateProduct(
  tx: Queryable,
  id: string,
  changes: ProductChanges,
  clock: Clock,
): Promise<Product | null> {
  const assignments: string[] = [];
  const values: unknown[] = [id, clock.now()];
  for (const [field, value] of Object.entries(changes) as Array<[keyof ProductChanges, unknown]>) {
    if (value === undefined) continue;
    values.push(field === 'price' ? (value as ProductDraft['price']).amount : value);
    assignments.push(`${COLUMN_OF[field]} = $${values.length}`);
  }
  const { rows } = await tx.query<{ product: ProductJson }>(
    `UPDATE products AS p SET ${assignments.join(', ')}, updated_at = $2 WHERE p.id = $1
     RETURNING ${PRODUCT_JSON} AS product`,
    values,
  );
  return rows[0] ? toProduct(rows[0].product) : null;
}

/** The deleted product's sku, or null when there was no such product. */
export async function deleteProduct(tx: Queryable, id: string): Promise<{ sku: string } | null> {
  const { rows } = await tx.query<{ sku: string }>('DELETE FROM products WHERE id = $1 RETURNING sku', [id]);
  return rows[0] ?? null;
}

function firstProduct(rows: Array<{ product: ProductJson }>): ProductJson {
  const row = rows[0];
  if (!row) throw new Error('INSERT ... RETURNING returned no row');
  return row.product;
}
