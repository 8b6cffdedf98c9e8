import type { Product } from '@talad/contracts-catalog';
import type { Queryable } from '@talad/pg';
import type { PricedProduct } from '../orders/domain/index.ts';

/**
 * Ordering's copy of catalog's products: the price, sku, name and sizes that pricing an order needs.
 * Writes are idempotent and order-insensitive: a copy older than the one held (by the product's
 * `updatedAt`) is ignored, and a deleted product stays deleted.
 */
export async function upsertProducts(db: Queryable, products: readonly Product[]): Promise<void> {
  if (products.length === 0) return;
  await db.query(
    `INSERT INTO product_replica AS r (id, sku, name, price_amount, sizes, updated_at)
     SELECT p.id, p.sku, p.name, p.price_amount, ARRAY(SELECT json_array_elements_text(p.sizes)), p.updated_at
     FROM json_to_recordset($1::json) AS p(id uuid, sku text, name text, price_amount bigint, sizes json, updated_at timestamptz)
     ON CONFLICT (id) DO UPDATE
       SET sku = excluded.sku, name = excluded.name, price_amount = excluded.price_amount,
           sizes = excluded.sizes, updated_at = excluded.updated_at
       WHERE NOT r.deleted AND excluded.updated_at >= r.updated_at`,
    [
      JSON.stringify(
        products.map((product) => ({
          id: product.id,
          sku: product.sku,
          name: product.name,
          price_amount: product.price.amount,
          sizes: product.sizes,
          updated_at: product.updatedAt,
        })),
      ),
    ],
  );
}

export async function markProductDeleted(db: Queryable, productId: string, sku: string): Promise<void> {
  await db.query(
    `INSERT INTO product_replica (id, sku, name, price_amount, sizes, updated_at, deleted)
     VALUES ($1, $2, '', 0, '{}', now(), true)
     ON CONFLICT (id) DO UPDATE SET deleted = true`,
    [productId, sku],
  );
}

/** The products among `ids` that can be ordered, by id; deleted and unknown ones are absent. */
export async function findProducts(db: Queryable, ids: readonly string[]): Promise<Map<string, PricedProduct>> {
  const { rows } = await db.query<{ id: string; sku: string; name: string; price_amount: number; sizes: string[] }>(
    'SELECT id, sku, name, price_amount, sizes FROM product_replica WHERE id = ANY ($1::uuid[]) AND NOT deleted',
    [[...new Set(ids)]],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      { id: row.id, sku: row.sku, name: row.name, priceAmount: row.price_amount, sizes: row.sizes },
    ]),
  );
}
