import type {
  FacetValue,
  Product,
  ProductSnapshotPage,
  ProductSnapshotQuery,
  SearchProductsQuery,
  SearchProductsResult,
} from '@talad/contracts-catalog';
import { isUuid } from '@talad/core';
import type { Queryable } from '@talad/pg';
import { buildSearchSql, PRODUCT_JSON } from './search-query.ts';

export interface ProductRepository {
  /** One page of products for the query, with the total and the facet counts. */
  search(query: SearchProductsQuery): Promise<SearchProductsResult>;
  /** The product, or null when there is none with this id (or the id is not a UUID). */
  findById(id: string): Promise<Product | null>;
  /** Up to `limit` products with ids after `after`, in id order, and the cursor of the next page. */
  snapshot(query: ProductSnapshotQuery): Promise<ProductSnapshotPage>;
}

/** Products as PostgreSQL returns them through `PRODUCT_JSON`. */
export interface ProductJson {
  id: string;
  sku: string;
  name: string;
  description: string;
  brand: string;
  category: string;
  price: { amount: number | string; currency: string };
  sizes: string[];
  imageUrl: string;
  rating: number | string | null;
  ratingCount: number;
  createdAt: string;
  updatedAt: string;
}

interface SearchRow {
  total: number;
  categories: FacetValue[];
  brands: FacetValue[];
  items: ProductJson[];
}

export function createProductRepository(db: Queryable): ProductRepository {
  return {
    async search(query) {
      const { text, values } = buildSearchSql(query);
      const { rows } = await db.query<SearchRow>(text, values);
      const row = rows[0];
      return {
        items: (row?.items ?? []).map(toProduct),
        page: query.page,
        pageSize: query.pageSize,
        total: row?.total ?? 0,
        facets: { categories: row?.categories ?? [], brands: row?.brands ?? [] },
      };
    },

    async findById(id) {
      if (!isUuid(id)) return null;
      const { rows } = await db.query<{ product: ProductJson }>(
        `SELECT ${PRODUCT_JSON} AS product FROM products p WHERE p.id = $1`,
        [id],
      );
      const row = rows[0];
      return row ? toProduct(row.product) : null;
    },

    async snapshot(query) {
      // One row more than the page tells whether another page follows, so the last page says null.
      const { rows } = await db.query<{ product: ProductJson }>(
        `SELECT ${PRODUCT_JSON} AS product FROM products p
         WHERE $1::uuid IS NULL OR p.id > $1::uuid
         ORDER BY p.id
         LIMIT $2`,
        [query.after ?? null, query.limit + 1],
      );
      const items = rows.slice(0, query.limit).map((row) => toProduct(row.product));
      const last = items.at(-1);
      return { items, next: rows.length > query.limit && last ? last.id : null };
    },
  };
}

export function toProduct(json: ProductJson): Product {
  return {
    id: json.id,
    sku: json.sku,
    name: json.name,
    description: json.description,
    brand: json.brand,
    category: json.category,
    price: { amount: Number(json.price.amount), currency: 'THB' },
    sizes: json.sizes,
    imageUrl: json.imageUrl,
    rating: json.rating === null ? null : Number(json.rating),
    ratingCount: json.ratingCount,
    createdAt: new Date(json.createdAt).toISOString(),
    updatedAt: new Date(json.updatedAt).toISOString(),
  };
}
