import { describe, expect, it } from 'vitest';
import { partitionOf } from './transport.ts';

describe('partitionOf', () => {
  it('is FNV-1a of the UTF-8 key, so every adapter and language agrees', () => {
    // FNV-1a 32-bit of "a" is 0xe40c292c, of "foobar" 0xbf9cf968 (published test vectors).
    expect(partitionOf('a', 2 ** 31)).toBe(0xe40c292c % 2 ** 31);
    expect(partitionOf('foobar', 1_000_003)).toBe(0xbf9cf968 % 1_000_003);
  });

  it('spreads keys over every partition', () => {
    const seen = new Set(Array.from({ length: 200 }, (_, index) => partitionOf(`order-${index}`, 8)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
