import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  ProductIdParamsSchema,
  ProductSchema,
  SearchProductsQuerySchema,
  SearchProductsResultSchema,
} from './products.ts';

const parse = (input: Record<string, unknown>) => SearchProductsQuerySchema.safeParse(input);
const failedPaths = (input: Record<string, unknown>) => {
  const result = parse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to fail`);
  return result.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys' ? issue.keys.join(',') : issue.path.join('.'),
  );
};

describe('SearchProductsQuerySchema', () => {
  it('fills in the defaults', () => {
    expect(parse({}).data).toEqual({ sort: 'relevance', page: 1, pageSize: DEFAULT_PAGE_SIZE });
  });

  it('turns query-string numbers into integers', () => {
    expect(parse({ q: ' adidas ', minPrice: '0', maxPrice: '39900', page: '2', pageSize: '100' }).data).toEqual({
      q: 'adidas',
      minPrice: 0,
      maxPrice: 39_900,
      sort: 'relevance',
      page: 2,
      pageSize: 100,
    });
    expect(parse({ page: 3 }).data?.page).toBe(3);
  });

  it.each(['12abc', '1.5', '', ' 5', '1e3', '0x10', '-1', 'NaN'])(
    'refuses %j as a whole number, naming the parameter',
    (value) => {
      expect(failedPaths({ page: value })).toEqual(['page']);
      expect(failedPaths({ minPrice: value })).toEqual(['minPrice']);
    },
  );

  it(`refuses a page size over ${MAX_PAGE_SIZE} or under 1`, () => {
    expect(failedPaths({ pageSize: String(MAX_PAGE_SIZE + 1) })).toEqual(['pageSize']);
    expect(failedPaths({ pageSize: '0' })).toEqual(['pageSize']);
    expect(failedPaths({ page: '0' })).toEqual(['page']);
  });

  it('refuses unknown parameters, naming them', () => {
    expect(failedPaths({ categroy: 'Sneakers' })).toEqual(['categroy']);
  });

  it('refuses an unknown sort and repeated parameters', () => {
    expect(failedPaths({ sort: 'cheapest' })).toEqual(['sort']);
    expect(failedPaths({ q: ['a', 'b'] })).toEqual(['q']);
  });

  it('refuses a price range whose maximum is below its minimum', () => {
    expect(failedPaths({ minPrice: '50000', maxPrice: '100' })).toEqual(['maxPrice']);
    expect(parse({ minPrice: '100', maxPrice: '100' }).success).toBe(true);
  });

  it('accepts any characters in q, up to 200', () => {
    expect(parse({ q: "%_'\\.*(:*&|!" }).success).toBe(true);
    expect(failedPaths({ q: 'x'.repeat(201) })).toEqual(['q']);
  });

  it('documents the integers with their bounds and defaults in the OpenAPI (input) schema', () => {
    const schema = z.toJSONSchema(SearchProductsQuerySchema, { io: 'input', target: 'openapi-3.0' }) as {
      properties: Record<string, Record<string, unknown>>;
      additionalProperties: boolean;
      required?: string[];
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required ?? []).toEqual([]);
    expect(schema.properties['pageSize']).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 24 });
    expect(schema.properties['page']).toMatchObject({ type: 'integer', minimum: 1, default: 1 });
    expect(schema.properties['minPrice']).toMatchObject({ type: 'integer', minimum: 0 });
  });
});

describe('ProductIdParamsSchema', () => {
  it('accepts a UUID and refuses anything else', () => {
    expect(ProductIdParamsSchema.safeParse({ id: '019604f0-f758-7b6c-b9b1-050e3cb635c0' }).success).toBe(true);
    for (const id of ['nope', '123', '019604f0-f758-7b6c-b9b1-050e3cb635c', "' OR 1=1"]) {
      expect(ProductIdParamsSchema.safeParse({ id }).success).toBe(false);
    }
  });
});

describe('ProductSchema and SearchProductsResultSchema', () => {
  const product = {
    id: '019604f0-f758-7b6c-b9b1-050e3cb635c0',
    sku: 'SNK-PCS-000001',
    name: 'POCA SHOE NMD Sneakers',
    description: 'A light knit sneaker.',
    brand: 'POCA SHOE',
    category: 'Sneakers',
    price: { amount: 39_900, currency: 'THB' },
    sizes: ['36', '37'],
    imageUrl: '/images/products/sneakers.svg',
    rating: 4.6,
    ratingCount: 1287,
    createdAt: '2025-04-05T07:53:43.000Z',
    updatedAt: '2025-04-05T07:53:43.000Z',
  };

  it('accepts a product, and a result page of them', () => {
    expect(ProductSchema.parse(product)).toEqual(product);
    const result = {
      items: [product],
      page: 1,
      pageSize: 24,
      total: 1,
      facets: { categories: [{ value: 'Sneakers', count: 1 }], brands: [{ value: 'POCA SHOE', count: 1 }] },
    };
    expect(SearchProductsResultSchema.parse(result)).toEqual(result);
  });

  it('refuses fractional money and ratings outside 1..5, and allows unrated products', () => {
    expect(ProductSchema.safeParse({ ...product, price: { amount: 399.5, currency: 'THB' } }).success).toBe(false);
    expect(ProductSchema.safeParse({ ...product, rating: null, ratingCount: 0 }).success).toBe(true);
    expect(ProductSchema.safeParse({ ...product, rating: 5.5 }).success).toBe(false);
  });
});
