import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SearchProductsQuerySchema,
  SearchProductsResultSchema,
  type Product,
  type SearchProductsResult,
} from '@talad/contracts-catalog';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { migrationsDirectory } from '../migrations.ts';
import { createRandom } from '../seed/random.ts';
import { generateCatalog, POCA_SHOE_NMD, seedCatalog, type SeedProduct } from '../seed/index.ts';
import { createProductRepository, type ProductRepository } from './index.ts';

let db: TestDatabase;
let products: ProductRepository;
const catalog = generateCatalog();

beforeAll(async () => {
  db = await createTestDatabase({ migrations: migrationsDirectory });
  await seedCatalog(db.pool, { products: catalog });
  products = createProductRepository(db.pool);
});

afterAll(async () => {
  await db.drop();
});

/** Searches as the HTTP route does: query-string values through the published schema. */
async function search(params: Record<string, string> = {}): Promise<SearchProductsResult> {
  const result = await products.search(SearchProductsQuerySchema.parse(params));
  return SearchProductsResultSchema.parse(result);
}

/** Every page of a search, fetched `pageSize` at a time. */
async function allPages(
  params: Record<string, string>,
  pageSize: number,
): Promise<{ items: Product[]; totals: number[] }> {
  const items: Product[] = [];
  const totals: number[] = [];
  for (let page = 1; ; page++) {
    const result = await search({ ...params, page: String(page), pageSize: String(pageSize) });
    totals.push(result.total);
    items.push(...result.items);
    if (result.items.length < pageSize) return { items, totals };
  }
}

const isAdidasNmd = (product: { brand: string; name: string }) =>
  product.brand === 'Adidas' && product.name.includes('NMD');
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sum = (facets: { count: number }[]) => facets.reduce((total, facet) => total + facet.count, 0);

describe('seeding', () => {
  it('inserts the whole generated catalogue once and is idempotent', async () => {
    const { rows } = await db.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM products');
    expect(rows[0]?.count).toBe(catalog.length);
    const again = await seedCatalog(db.pool, { products: catalog });
    expect(again).toMatchObject({ seeded: false, products: catalog.length });
    expect(again.searchWords).toBeGreaterThan(500);
  });
});

describe('keyword search', () => {
  const adidasNmd = catalog.filter(isAdidasNmd);

  it.each(['addidas nmd', 'adidas nmd', 'Adidas NMD', 'adiddas  nmd'])(
    '"%s" finds the Adidas NMD products first',
    async (q) => {
      const result = await search({ q, pageSize: '100' });
      expect(result.total).toBeGreaterThanOrEqual(adidasNmd.length);
      const top = result.items.slice(0, adidasNmd.length);
      expect(top.every(isAdidasNmd)).toBe(true);
      expect(new Set(top.map((product) => product.id))).toEqual(new Set(adidasNmd.map((product) => product.id)));
    },
  );

  it('"poca nmd" finds POCA SHOE NMD Sneakers first', async () => {
    const result = await search({ q: 'poca nmd' });
    expect(result.items[0]).toMatchObject({ name: POCA_SHOE_NMD.name, price: { amount: 39_900, currency: 'THB' } });
  });

  it('"nmd" finds the POCA SHOE product and the Adidas ones', async () => {
    const result = await search({ q: 'nmd', pageSize: '100' });
    expect(result.total).toBe(adidasNmd.length + 1);
    expect(result.items.map((product) => product.name)).toContain(POCA_SHOE_NMD.name);
  });

  it('tolerates typos: "snekers" finds sneakers', async () => {
    const result = await search({ q: 'snekers' });
    expect(result.total).toBeGreaterThanOrEqual(1000);
    expect(result.items.length).toBe(24);
    expect(result.items.every((product) => product.category === 'Sneakers')).toBe(true);
  });

  it.each([
    ['iphnoe 16', (p: Product) => p.name.includes('iPhone 16')],
    ['samsng galaxy', (p: Product) => p.brand === 'Samsung'],
    ['headphnes sony', (p: Product) => p.brand === 'Sony'],
    ['kanken', (p: Product) => p.name.includes('Kånken')],
    ['airmax', (p: Product) => p.name.includes('Air Max')],
    ['ultra boost', (p: Product) => p.name.includes('Ultraboost')],
  ])('"%s" finds what was meant first', async (q, meant) => {
    const result = await search({ q });
    expect(result.items.length).toBeGreaterThan(0);
    expect(result.items.every(meant)).toBe(true);
  });

  it('ranks name matches above description matches', async () => {
    // "Bangkok" is in many descriptions and in one book title.
    const result = await search({ q: 'bangkok', pageSize: '5' });
    expect(result.items[0]?.name).toContain('Bangkok');
  });

  it('finds words as typed by prefix, for search as you type', async () => {
    const result = await search({ q: 'onitsu' });
    expect(result.total).toBe(catalog.filter((product) => product.brand === 'Onitsuka Tiger').length);
  });

  it('finds Thai words', async () => {
    const result = await search({ q: 'บ้านริมน้ำ' });
    expect(result.total).toBe(catalog.filter((product) => product.name.includes('บ้านริมน้ำ')).length);
    expect(result.total).toBeGreaterThan(0);
  });

  it('finds nothing for text with no searchable word, and everything for blank text', async () => {
    expect((await search({ q: "%_'\\.*(:*&|!" })).total).toBe(0);
    expect((await search({ q: '   ' })).total).toBe(catalog.length);
  });
});

describe('hostile query text is searched as plain text, never an error', () => {
  it.each([
    '%',
    '_',
    "'",
    "''",
    '\\',
    '.*',
    '(',
    ')',
    ':*',
    '&|!',
    '!!!',
    'nike:*',
    'nike & !adidas',
    "nike' OR '1'='1",
    "'; DROP TABLE products; --",
    'adidas <-> nmd',
    '100%',
    'a_b',
    '$1',
    '\u0000',
    '\u0301',
    '½',
    '٣',
    '𝓷𝓲𝓴𝓮',
    'x'.repeat(200),
  ])('%j', async (q) => {
    const result = await search({ q: q.replaceAll('\u0000', '') });
    expect(result.total).toBeGreaterThanOrEqual(0);
  });

  it('survives two hundred random strings of metacharacters, letters and marks', async () => {
    const random = createRandom(99);
    const alphabet = Array.from("%_'\\.*():&|!<>-@#$^+=?[]{}~` \t\nabcnmdikeAZ019ก้่ำåé\u0301½");
    for (let i = 0; i < 200; i++) {
      const q = Array.from({ length: random.int(1, 40) }, () => random.pick(alphabet)).join('');
      await expect(search({ q })).resolves.toBeDefined();
    }
  });

  it('treats a category or brand with quotes as a plain value', async () => {
    expect((await search({ category: "Sneakers' OR '1'='1" })).total).toBe(0);
    expect((await search({ brand: "Levi's" })).total).toBe(
      catalog.filter((product) => product.brand === "Levi's").length,
    );
  });
});

describe('filters', () => {
  const count = (predicate: (product: SeedProduct) => boolean) => catalog.filter(predicate).length;

  it('by category', async () => {
    const result = await search({ category: 'Sneakers', pageSize: '100' });
    expect(result.total).toBe(count((product) => product.category === 'Sneakers'));
    expect(result.items.every((product) => product.category === 'Sneakers')).toBe(true);
  });

  it('by brand, with a keyword', async () => {
    const result = await search({ q: 'sneakers', brand: 'Nike', pageSize: '100' });
    expect(result.total).toBe(count((product) => product.brand === 'Nike' && product.category === 'Sneakers'));
    expect(result.items.every((product) => product.brand === 'Nike')).toBe(true);
  });

  it('by price range, both ends inclusive', async () => {
    const result = await search({ minPrice: '39900', maxPrice: '39900', pageSize: '100' });
    expect(result.total).toBe(count((product) => product.priceAmount === 39_900));
    expect(result.items.map((product) => product.name)).toContain(POCA_SHOE_NMD.name);

    const range = await search({ category: 'Watches', minPrice: '500000', maxPrice: '1500000', pageSize: '100' });
    expect(range.total).toBe(
      count((p) => p.category === 'Watches' && p.priceAmount >= 500_000 && p.priceAmount <= 1_500_000),
    );
    for (const product of range.items) {
      expect(product.price.amount).toBeGreaterThanOrEqual(500_000);
      expect(product.price.amount).toBeLessThanOrEqual(1_500_000);
    }
  });

  it('all at once', async () => {
    const result = await search({ q: 'nike', category: 'Running Shoes', brand: 'Nike', maxPrice: '400000' });
    expect(result.total).toBe(
      count((p) => p.brand === 'Nike' && p.category === 'Running Shoes' && p.priceAmount <= 400_000),
    );
  });
});

describe('sorting', () => {
  it('price ascending, ties by id', async () => {
    const expected = catalog
      .filter((product) => product.category === 'Sneakers')
      .sort((a, b) => a.priceAmount - b.priceAmount || byId(a.id, b.id))
      .slice(0, 100)
      .map((product) => product.id);
    const result = await search({ category: 'Sneakers', sort: 'price_asc', pageSize: '100' });
    expect(result.items.map((product) => product.id)).toEqual(expected);
  });

  it('price descending, ties by id', async () => {
    const expected = catalog
      .filter((product) => product.category === 'Books')
      .sort((a, b) => b.priceAmount - a.priceAmount || byId(b.id, a.id))
      .slice(0, 100)
      .map((product) => product.id);
    const result = await search({ category: 'Books', sort: 'price_desc', pageSize: '100' });
    expect(result.items.map((product) => product.id)).toEqual(expected);
  });

  it('newest first, and relevance without a keyword means newest', async () => {
    const expected = [...catalog]
      .sort((a, b) => byId(b.createdAt, a.createdAt) || byId(b.id, a.id))
      .slice(0, 50)
      .map((product) => product.id);
    expect((await search({ sort: 'newest', pageSize: '50' })).items.map((product) => product.id)).toEqual(expected);
    expect((await search({ pageSize: '50' })).items.map((product) => product.id)).toEqual(expected);
  });

  it('sorts keyword results by price too', async () => {
    const result = await search({ q: 'adidas nmd', sort: 'price_asc', pageSize: '100' });
    const prices = result.items.map((product) => product.price.amount);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(result.items.every(isAdidasNmd)).toBe(true);
  });
});

describe('paging', () => {
  it.each([
    [{ q: 'black' }],
    [{ q: 'snekers' }],
    [{ category: 'T-Shirts', sort: 'price_asc' }],
    [{ brand: 'Uniqlo', sort: 'price_desc' }],
  ])('pages of 7 through %j neither repeat nor skip', async (params: Record<string, string>) => {
    const small = await allPages(params, 7);
    const large = await allPages(params, 100);
    const total = small.totals[0] ?? -1;
    expect(total).toBeGreaterThan(7 * 3);
    expect(new Set(small.totals)).toEqual(new Set([total]));
    expect(small.items).toHaveLength(total);
    expect(new Set(small.items.map((product) => product.id)).size).toBe(total);
    expect(small.items.map((product) => product.id)).toEqual(large.items.map((product) => product.id));
  });

  it('answers an empty page past the end, with the total', async () => {
    const result = await search({ q: 'poca nmd', page: '5' });
    expect(result.items).toEqual([]);
    expect(result.total).toBe(1);
    expect(result.page).toBe(5);
  });
});

describe('facets', () => {
  it('count every match by category and by brand', async () => {
    const result = await search({ q: 'black' });
    expect(sum(result.facets.categories)).toBe(result.total);
    expect(sum(result.facets.brands)).toBe(result.total);
    const counts = result.facets.categories.map((facet) => facet.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('count the whole catalogue when browsing', async () => {
    const result = await search({});
    expect(result.facets.categories).toHaveLength(new Set(catalog.map((product) => product.category)).size);
    expect(sum(result.facets.categories)).toBe(catalog.length);
  });

  it('ignore their own filter and apply the other', async () => {
    const result = await search({ q: 'black', category: 'Sneakers', brand: 'Nike' });
    const unfiltered = await search({ q: 'black' });
    const nikeOnly = await search({ q: 'black', brand: 'Nike' });
    const sneakersOnly = await search({ q: 'black', category: 'Sneakers' });
    // The category facet shows every category for Nike, the brand facet every brand of sneakers.
    expect(result.facets.categories).toEqual(nikeOnly.facets.categories);
    expect(result.facets.brands).toEqual(sneakersOnly.facets.brands);
    expect(sum(result.facets.categories)).toBe(nikeOnly.total);
    expect(sum(result.facets.brands)).toBe(sneakersOnly.total);
    expect(result.facets.categories.find((facet) => facet.value === 'Sneakers')?.count).toBe(result.total);
    expect(result.facets.brands.find((facet) => facet.value === 'Nike')?.count).toBe(result.total);
    expect(result.facets.categories.length).toBeGreaterThan(1);
    expect(unfiltered.total).toBeGreaterThan(nikeOnly.total);
  });

  it('apply the price range', async () => {
    const result = await search({ maxPrice: '50000' });
    expect(sum(result.facets.categories)).toBe(catalog.filter((product) => product.priceAmount <= 50_000).length);
  });
});

describe('findById', () => {
  it('returns the product in the contract shape', async () => {
    const seeded = catalog.find((product) => product.name === POCA_SHOE_NMD.name);
    if (!seeded) throw new Error('seed has no POCA SHOE NMD Sneakers');
    const product = await products.findById(seeded.id);
    expect(product).toEqual({
      id: seeded.id,
      sku: seeded.sku,
      name: seeded.name,
      description: seeded.description,
      brand: seeded.brand,
      category: seeded.category,
      price: { amount: 39_900, currency: 'THB' },
      sizes: seeded.sizes,
      imageUrl: seeded.imageUrl,
      rating: seeded.rating,
      ratingCount: seeded.ratingCount,
      createdAt: seeded.createdAt,
      updatedAt: seeded.updatedAt,
    });
  });

  it('maps an unrated product with a null rating', async () => {
    const unrated = catalog.find((product) => product.ratingCount === 0);
    expect(unrated).toBeDefined();
    expect(await products.findById(unrated?.id ?? '')).toMatchObject({ rating: null, ratingCount: 0 });
  });

  it('returns null for an unknown or malformed id', async () => {
    expect(await products.findById('019604f0-f758-7b6c-b9b1-000000000000')).toBeNull();
    expect(await products.findById('not-a-uuid')).toBeNull();
    expect(await products.findById("' OR 1=1 --")).toBeNull();
  });
});
