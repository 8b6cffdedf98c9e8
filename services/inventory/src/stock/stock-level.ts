import { createHash } from 'node:crypto';
import { FEW_LEFT_AT_MOST, type STOCK_STATUSES } from '@talad/contracts-inventory';

export type StockStatus = (typeof STOCK_STATUSES)[number];

/** The badge a product page shows: sold out at 0, few left up to FEW_LEFT_AT_MOST, else in stock. */
export function statusOf(available: number): StockStatus {
  if (available <= 0) return 'sold_out';
  return available <= FEW_LEFT_AT_MOST ? 'few_left' : 'in_stock';
}

/**
 * The stock a product starts with when inventory first hears of it, from a hash of its id: the same on
 * every machine and every start, so a demo shop (and its tests) always has the same sold-out and
 * scarce products. About 5% start sold out (0), about 15% scarce (1–3), the rest with 10–60 units.
 *
 * @example
 * seededQuantity('019604f0-f758-7b6c-b9b1-050e3cb635c0'); // always the same number, 0..60
 */
export function seededQuantity(productId: string): number {
  const digest = createHash('sha256').update(productId.toLowerCase()).digest();
  const bucket = digest.readUInt32BE(0) % 100;
  const spread = digest.readUInt32BE(4);
  if (bucket < 5) return 0;
  if (bucket < 20) return 1 + (spread % 3);
  return 10 + (spread % 51);
}
