import { describe, expect, it } from 'vitest';
import { isUuid } from '@talad/core';
import { ProductSchema } from '@talad/contracts-catalog';
import { createRandom } from './random.ts';
import { generateCatalog, POCA_SHOE_NMD, thaiPrice, uuidV7 } from './generate.ts';

const catalog = generateCatalog();

describe('generateCatalog', () => {
  it('is deterministic: two runs give the same products', () => {
    expect(generateCatalog()).toEqual(catalog);
  });

  it('differs with another seed', () => {
    expect(generateCatalog(7)[1]).not.toEqual(catalog[1]);
  });

  it('makes at least 10,000 products over at least 12 categories', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(10_000);
    expect(new Set(catalog.map((product) => product.category)).size).toBeGreaterThanOrEqual(12);
  });

  it('gives every product a unique sku and a unique UUIDv7 id', () => {
    expect(new Set(catalog.map((product) => product.sku)).size).toBe(catalog.length);
    expect(new Set(catalog.map((product) => product.id)).size).toBe(catalog.length);
    for (const product of catalog) {
      expect(isUuid(product.id)).toBe(true);
      expect(product.id[14]).toBe('7');
      expect(product.sku).toMatch(/^[A-Z]{3}-[A-Z]{3}-\d{6}$/);
    }
  });

  it('derives each id from its creation time', () => {
    for (const product of catalog.slice(0, 500)) {
      const millis = Number.parseInt(product.id.replaceAll('-', '').slice(0, 12), 16);
      expect(new Date(millis).toISOString()).toBe(product.createdAt);
    }
  });

  it('contains exactly one POCA SHOE NMD Sneakers at 399 THB, with sizes', () => {
    const matches = catalog.filter((product) => product.name === POCA_SHOE_NMD.name);
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({
      brand: 'POCA SHOE',
      category: 'Sneakers',
      priceAmount: 39_900,
      currency: 'THB',
    });
    expect(matches[0]?.sizes.length).toBeGreaterThan(0);
  });

  it('contains a few dozen Adidas NMD products', () => {
    const nmd = catalog.filter((product) => product.brand === 'Adidas' && product.name.includes('NMD'));
    expect(nmd.length).toBeGreaterThanOrEqual(24);
    expect(nmd.length).toBeLessThanOrEqual(100);
    // NMD is an Adidas line: apart from the POCA SHOE product, nobody else names it.
    const others = catalog.filter((product) => product.name.includes('NMD') && product.brand !== 'Adidas');
    expect(others.map((product) => product.name)).toEqual([POCA_SHOE_NMD.name]);
  });

  it('makes products that satisfy the published contract', () => {
    for (const product of catalog) {
      const { priceAmount, currency, ...rest } = product;
      const parsed = ProductSchema.safeParse({ ...rest, price: { amount: priceAmount, currency } });
      if (!parsed.success) throw new Error(`${product.sku}: ${parsed.error.message}`);
    }
  });

  it('prices in whole satang with Thai shelf endings', () => {
    for (const { priceAmount } of catalog) {
      expect(Number.isSafeInteger(priceAmount)).toBe(true);
      expect(priceAmount).toBeGreaterThan(0);
      expect(priceAmount % 100).toBe(0);
    }
  });

  it('gives shoes EU sizes, clothes letter sizes and other things none', () => {
    const sizesOf = (category: string) =>
      new Set(catalog.filter((p) => p.category === category).flatMap((p) => p.sizes));
    for (const size of sizesOf('Sneakers')) expect(Number(size)).toBeGreaterThanOrEqual(36);
    for (const size of sizesOf('Running Shoes')) expect(Number(size)).toBeLessThanOrEqual(46);
    expect([...sizesOf('T-Shirts')].every((size) => ['XS', 'S', 'M', 'L', 'XL', 'XXL'].includes(size))).toBe(true);
    expect(sizesOf('Headphones').size).toBe(0);
  });

  it('spreads creation times over 2024-01-01 .. 2026-06-30 and never updates before creating', () => {
    for (const { createdAt, updatedAt } of catalog) {
      expect(createdAt >= '2024-01-01T00:00:00.000Z' && createdAt <= '2026-06-30T23:59:59.000Z').toBe(true);
      expect(updatedAt >= createdAt).toBe(true);
    }
    const years = new Set(catalog.map((product) => product.createdAt.slice(0, 4)));
    expect([...years].sort()).toEqual(['2024', '2025', '2026']);
  });

  it('rates 1.0..5.0 with a count, or not at all', () => {
    for (const { rating, ratingCount } of catalog) {
      if (rating === null) expect(ratingCount).toBe(0);
      else {
        expect(ratingCount).toBeGreaterThan(0);
        expect(rating).toBeGreaterThanOrEqual(1);
        expect(rating).toBeLessThanOrEqual(5);
        expect(Math.round(rating * 10) / 10).toBe(rating);
      }
    }
  });
});

describe('thaiPrice', () => {
  it('ends prices like a Thai shop does', () => {
    const random = createRandom(1);
    for (let i = 0; i < 200; i++) {
      const baht = thaiPrice(2_590, random) / 100;
      expect([2_590, 2_600, 2_599]).toContain(baht);
    }
    expect(thaiPrice(99, createRandom(1))).toBe(9_900);
  });
});

describe('uuidV7', () => {
  it('puts the time first, so ids sort by creation time', () => {
    const random = createRandom(3);
    const earlier = uuidV7(Date.UTC(2024, 0, 1), random);
    const later = uuidV7(Date.UTC(2024, 0, 1, 0, 0, 1), random);
    expect(earlier < later).toBe(true);
    expect(earlier.startsWith('018cc251-f400-7')).toBe(true);
    expect(isUuid(earlier)).toBe(true);
  });
});
