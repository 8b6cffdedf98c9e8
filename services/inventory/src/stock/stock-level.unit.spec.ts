import { describe, expect, it } from 'vitest';
import { seededQuantity, statusOf } from './stock-level.ts';

describe('statusOf', () => {
  it.each([
    [0, 'sold_out'],
    [1, 'few_left'],
    [5, 'few_left'],
    [6, 'in_stock'],
    [60, 'in_stock'],
  ] as const)('shows %i available as %s', (available, status) => {
    expect(statusOf(available)).toBe(status);
  });
});

describe('seededQuantity', () => {
  it('is the same for the same product id, whatever its case', () => {
    const id = '019604f0-f758-7b6c-b9b1-050e3cb635c0';
    expect(seededQuantity(id)).toBe(seededQuantity(id));
    expect(seededQuantity(id.toUpperCase())).toBe(seededQuantity(id));
  });

  it('starts about 5% sold out, about 15% scarce (1–3) and the rest with 10–60 units', () => {
    // UUIDv7-shaped ids that differ only in their last digits, as ids made one after another do.
    const ids = Array.from({ length: 20_000 }, (_, i) => `01960000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`);
    const quantities = ids.map(seededQuantity);
    const share = (test: (quantity: number) => boolean) => quantities.filter(test).length / quantities.length;
    expect(quantities.every((q) => q === 0 || (q >= 1 && q <= 3) || (q >= 10 && q <= 60))).toBe(true);
    expect(share((q) => q === 0)).toBeGreaterThan(0.04);
    expect(share((q) => q === 0)).toBeLessThan(0.06);
    expect(share((q) => q >= 1 && q <= 3)).toBeGreaterThan(0.13);
    expect(share((q) => q >= 1 && q <= 3)).toBeLessThan(0.17);
    expect(new Set(quantities.filter((q) => q >= 10)).size).toBe(51);
  });
});
