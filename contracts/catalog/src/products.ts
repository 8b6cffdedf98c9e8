/**
 * The catalog service's published HTTP contract: product detail and product search.
 *
 * These schemas validate requests and responses at the edge (through fastify-type-provider-zod) and
 * generate the OpenAPI document, so they are the single source of truth for the API's shape.
 */
import { z } from 'zod';

/** The largest page a search returns; asking for more is a 400, not a silent cap. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 24;
/** Deep paging is pointless for a shop and costly for the database. */
export const MAX_PAGE = 1000;
/** Longer search text is refused rather than truncated. */
export const MAX_QUERY_LENGTH = 200;

export const SORT_ORDERS = ['relevance', 'price_asc', 'price_desc', 'newest'] as const;
export const SortOrderSchema = z.enum(SORT_ORDERS);
export type SortOrder = z.infer<typeof SortOrderSchema>;

export { MoneySchema, type Money } from '@talad/contracts-common';
import { MoneySchema } from '@talad/contracts-common';

export const ProductSchema = z
  .object({
    id: z.uuid(),
    sku: z.string().describe('Stock keeping unit, e.g. SNK-ADI-000123'),
    name: z.string(),
    description: z.string(),
    brand: z.string(),
    category: z.string(),
    price: MoneySchema,
    sizes: z
      .array(z.string())
      .describe('Sizes on offer (EU shoe sizes, XS..XXL, waist); empty when the product has none'),
    imageUrl: z.string(),
    rating: z.number().min(1).max(5).nullable().describe('Average rating 1.0..5.0; null while ratingCount is 0'),
    ratingCount: z.int().nonnegative(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .describe('A product of the catalog');
export type Product = z.infer<typeof ProductSchema>;

const WHOLE_NUMBER = /^\d{1,15}$/;

/**
 * A whole number that may arrive as query-string text. Stricter than `z.coerce.number()`, which
 * would accept '', ' 7', '1e3' and '0x10': only plain decimal digits pass. The JSON Schema (OpenAPI)
 * shows the integer with its bounds, because zod documents a preprocess by its target schema.
 */
function wholeInteger(min: number, max: number) {
  return z
    .int({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a whole number' : undefined) })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
}

function wholeNumber<T extends z.ZodType<number | undefined, number | undefined>>(target: T) {
  return z.preprocess(
    (value) => (typeof value === 'string' && WHOLE_NUMBER.test(value) ? Number(value) : value),
    target,
  );
}

const satang = () =>
  wholeNumber(wholeInteger(0, Number.MAX_SAFE_INTEGER).optional()).describe(
    'Price bound in satang (1 THB = 100), inclusive',
  );

/**
 * `GET /products` query. Unknown parameters are refused (400), so a typo such as `?categroy=` is never
 * silently ignored. Price bounds are in satang and inclusive. Filters match the facet values exactly.
 */
export const SearchProductsQuerySchema = z
  .strictObject({
    q: z
      .string()
      .trim()
      .max(MAX_QUERY_LENGTH)
      .optional()
      .describe('Search text: typo tolerant, relevance ranked; every character is searched as plain text'),
    category: z.string().trim().min(1).max(100).optional().describe('Exact category, as in the category facet'),
    brand: z.string().trim().min(1).max(100).optional().describe('Exact brand, as in the brand facet'),
    minPrice: satang(),
    maxPrice: satang(),
    sort: SortOrderSchema.default('relevance').describe(
      'relevance (the default; without q it falls back to newest), price_asc, price_desc or newest',
    ),
    // The default sits inside the preprocess: zod's JSON Schema drops a default wrapped around one.
    page: wholeNumber(wholeInteger(1, MAX_PAGE).default(1)).describe('1-based page number'),
    pageSize: wholeNumber(wholeInteger(1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE)).describe(
      `Products per page, at most ${MAX_PAGE_SIZE}`,
    ),
  })
  .refine((query) => query.minPrice === undefined || query.maxPrice === undefined || query.minPrice <= query.maxPrice, {
    error: 'maxPrice must not be less than minPrice',
    path: ['maxPrice'],
  });
export type SearchProductsQuery = z.output<typeof SearchProductsQuerySchema>;
export type SearchProductsQueryInput = z.input<typeof SearchProductsQuerySchema>;

export const FacetValueSchema = z.object({ value: z.string(), count: z.int().nonnegative() });
export type FacetValue = z.infer<typeof FacetValueSchema>;

export const SearchProductsResultSchema = z
  .object({
    items: z.array(ProductSchema),
    page: z.int().min(1),
    pageSize: z.int().min(1),
    total: z.int().nonnegative().describe('Products matching the query and every filter'),
    facets: z
      .object({
        categories: z.array(FacetValueSchema),
        brands: z.array(FacetValueSchema),
      })
      .describe(
        'Counts for the search text and price range. The category counts ignore the category filter and ' +
          'the brand counts ignore the brand filter (so each facet still offers its alternatives); ' +
          'each applies the other filter. Ordered by count, then value.',
      ),
  })
  .describe('One page of search results');
export type SearchProductsResult = z.infer<typeof SearchProductsResultSchema>;

export const ProductIdParamsSchema = z.strictObject({ id: z.uuid() });
export type ProductIdParams = z.infer<typeof ProductIdParamsSchema>;

/** The largest page of the product snapshot, and the page size when none is asked for. */
export const MAX_SNAPSHOT_LIMIT = 1000;

/**
 * `GET /products/snapshot`: every product in id order, a page at a time (keyset paging: `after` is the
 * previous page's `next`), for services that fill a copy of the catalogue on their first start and then
 * follow its events. Pages neither repeat nor skip a product, however the catalogue changes meanwhile.
 */
export const ProductSnapshotQuerySchema = z.strictObject({
  after: z.uuid().optional().describe("Start after this product id: the previous page's `next`"),
  limit: wholeNumber(wholeInteger(1, MAX_SNAPSHOT_LIMIT).default(MAX_SNAPSHOT_LIMIT)).describe(
    `Products per page, at most ${MAX_SNAPSHOT_LIMIT}`,
  ),
});
export type ProductSnapshotQuery = z.output<typeof ProductSnapshotQuerySchema>;

export const ProductSnapshotPageSchema = z
  .object({
    items: z.array(ProductSchema),
    next: z.uuid().nullable().describe('Pass as `after` for the next page; null on the last page'),
  })
  .describe('One page of the product snapshot, in id order');
export type ProductSnapshotPage = z.infer<typeof ProductSnapshotPageSchema>;
