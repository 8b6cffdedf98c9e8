import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { buildCatalogApp } from './app.ts';
import { migrationsDirectory } from './migrations.ts';
import { seedCatalog } from './seed/index.ts';

/** The catalog through its HTTP API, on a real seeded database. */
let db: TestDatabase;
let app: ServiceApp;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'catalog_http', migrations: migrationsDirectory });
  await seedCatalog(db.pool, { log: () => undefined });
  app = await buildCatalogApp({ pool: db.pool, logger: createLogger({ service: 'catalog', level: 'silent' }) });
});

afterAll(async () => {
  await app.close();
  await db.drop();
});

describe('catalog HTTP API', () => {
  it('searches with typo tolerance and answers in the published shape', async () => {
    const response = await app.inject('/products?q=addidas%20nmd&pageSize=5');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.items).toHaveLength(5);
    expect(body.items[0]).toMatchObject({ brand: 'Adidas', price: { currency: 'THB' } });
    expect(body.items[0].name).toMatch(/NMD/);
    expect(body.facets.brands[0]).toMatchObject({ value: 'Adidas' });
  });

  it('returns one product by id and 404 for an unknown id', async () => {
    const { items } = (await app.inject('/products?pageSize=1')).json();
    const found = await app.inject(`/products/${items[0].id}`);
    expect(found.statusCode).toBe(200);
    expect(found.json().id).toBe(items[0].id);
    const missing = await app.inject('/products/0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('CATALOG_PRODUCT_NOT_FOUND');
  });

  it.each([
    ['pageSize=100000', 'pageSize'],
    ['pageSize=0', 'pageSize'],
    ['page=-1', 'page'],
    ['page=1.5', 'page'],
    ['minPrice=12abc', 'minPrice'],
    ['sort=cheapest', 'sort'],
    ['colour=red', 'colour'],
    [`q=${'a'.repeat(500)}`, 'q'],
  ])('answers %s with 400 problem+json naming %s', async (query, parameter) => {
    const response = await app.inject(`/products?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors.map((error: { name: string }) => error.name)).toContain(parameter);
  });

  it('answers a malformed product id with 400 naming id', async () => {
    const response = await app.inject('/products/not-a-uuid');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ in: 'params', name: 'id' });
  });

  it.each(["'; DROP TABLE products; --", '%_%', '.*', '(nmd', ':*&|!', '\\'])(
    'searches %s as plain text, never a 500',
    async (text) => {
      const response = await app.inject(`/products?q=${encodeURIComponent(text)}`);
      expect(response.statusCode).toBe(200);
      expect(response.json().total).toBeGreaterThanOrEqual(0);
    },
  );

  it('is ready while its database answers', async () => {
    const response = await app.inject('/health/ready');
    expect(response.statusCode).toBe(200);
    expect(response.json().checks.database.status).toBe('up');
  });
});
