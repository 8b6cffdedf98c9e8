import { DomainError } from '@talad/core';
import { BasketErrorCode } from '../error-codes.ts';

/**
 * The size a line is for: one the product comes in when it comes in sizes (and then one must be
 * chosen), none when it comes in one size. Anything else is the shopper's mistake (400).
 *
 * @example
 * sizeFor(['41', '42'], '42'); // '42'
 * sizeFor([], undefined); // null
 * sizeFor(['41', '42'], undefined); // throws BASKET_INVALID_SIZE
 */
export function sizeFor(sizes: readonly string[], requested: string | undefined): string | null {
  if (sizes.length === 0) {
    if (requested === undefined) return null;
    throw invalidSize(`this product comes in one size; leave size out (got ${requested})`);
  }
  if (requested === undefined) throw invalidSize(`choose a size: one of ${sizes.join(', ')}`);
  if (!sizes.includes(requested))
    throw invalidSize(`size ${requested} is not offered; choose one of ${sizes.join(', ')}`);
  return requested;
}

function invalidSize(message: string): DomainError {
  return new DomainError('invalid', BasketErrorCode.InvalidSize, message);
}
