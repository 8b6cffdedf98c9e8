import { withTransaction, type Pool, type PoolClient } from '@talad/pg';
import { generateCatalog, type SeedProduct } from './generate.ts';

export interface SeedOptions {
  /** The products to insert; the generated catalogue by default. */
  products?: readonly SeedProduct[];
  batchSize?: number;
  /** Progress lines ("seeding catalog: 4000/12000 products"). */
  log?: (line: string) => void;
}

export interface SeedResult {
  /** False when the catalogue already had products and nothing was written. */
  seeded: boolean;
  products: number;
  /** Words in the search dictionary afterwards. */
  searchWords: number;
}

// Serialises concurrent seeders: the second waits, then finds the products and does nothing.
const SEED_LOCK_KEY = 7_201_978;

const INSERT_PRODUCTS = `
INSERT INTO products (id, sku, name, description, brand, category, price_amount, currency, sizes, image_url,
                      rating, rating_count, created_at, updated_at)
SELECT id, sku, name, description, brand, category, price_amount, currency,
       CASE WHEN sizes = '' THEN '{}'::text[] ELSE string_to_array(sizes, '|') END,
       image_url, rating, rating_count, created_at, updated_at
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[],
            $9::text[], $10::text[], $11::numeric[], $12::integer[], $13::timestamptz[], $14::timestamptz[])
  AS t(id, sku, name, description, brand, category, price_amount, currency, sizes, image_url,
       rating, rating_count, created_at, updated_at)`;

/**
 * Fills an empty catalogue with the generated products, in one transaction (a failed seed leaves
 * nothing half-done behind), in multi-row batches. Does nothing when products already exist.
 */
export async function seedCatalog(pool: Pool, options: SeedOptions = {}): Promise<SeedResult> {
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 1000;
  const result = await withTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    const existing = await tx.query<{ count: number }>('SELECT count(*)::int AS count FROM products');
    const count = existing.rows[0]?.count ?? 0;
    if (count > 0) return { seeded: false, products: count, searchWords: await countWords(tx) };

    const products = options.products ?? generateCatalog();
    for (let start = 0; start < products.length; start += batchSize) {
      const batch = products.slice(start, start + batchSize);
      await tx.query(INSERT_PRODUCTS, columnsOf(batch));
      log(`seeding catalog: ${start + batch.length}/${products.length} products`);
    }
    const refreshed = await tx.query<{ words: number }>('SELECT refresh_search_words() AS words');
    return { seeded: true, products: products.length, searchWords: refreshed.rows[0]?.words ?? 0 };
  });
  // Merge the GIN indexes' pending lists (which every search would otherwise scan linearly) and collect
  // fresh statistics, so searches are fast straight away.
  if (result.seeded) await pool.query('VACUUM (ANALYZE) products, search_words');
  return result;
}

async function countWords(tx: PoolClient): Promise<number> {
  const { rows } = await tx.query<{ count: number }>('SELECT count(*)::int AS count FROM search_words');
  return rows[0]?.count ?? 0;
}

function columnsOf(batch: readonly SeedProduct[]): unknown[] {
  for (const product of batch) {
    if (product.sizes.some((size) => size === '' || size.includes('|'))) {
      throw new Error(`product ${product.sku} has a size that is empty or contains '|'`);
    }
  }
  return [
    batch.map((p) => p.id),
    batch.map((p) => p.sku),
    batch.map((p) => p.name),
    batch.map((p) => p.description),
    batch.map((p) => p.brand),
    batch.map((p) => p.category),
    batch.map((p) => p.priceAmount),
    batch.map((p) => p.currency),
    batch.map((p) => p.sizes.join('|')),
    batch.map((p) => p.imageUrl),
    batch.map((p) => (p.rating === null ? null : p.rating.toFixed(1))),
    batch.map((p) => p.ratingCount),
    batch.map((p) => p.createdAt),
    batch.map((p) => p.updatedAt),
  ];
}
