/**
 * A basket for someone not signed in yet, kept in localStorage with the same line shape as basket's
 * contract. Signing in moves its lines into the customer's own basket, so the journey can begin
 * before the account exists.
 */
import type { BasketLine } from '@talad/contracts-basket';
import { MAX_BASKET_QUANTITY } from '@talad/contracts-basket';
import type { Product } from '@talad/contracts-catalog';
import { thb } from './money.ts';

export type BasketView = {
  lines: BasketLine[];
  subtotal: BasketLine['lineTotal'];
  itemCount: number;
};

const KEY = 'talad.guest-basket';

/** Totals of lines as basket computes them: subtotal and item count over the available lines. */
export function viewOf(lines: readonly BasketLine[]): BasketView {
  const counted = lines.filter((line) => line.available);
  return {
    lines: [...lines],
    subtotal: thb(counted.reduce((sum, line) => sum + line.lineTotal.amount, 0)),
    itemCount: counted.reduce((sum, line) => sum + line.quantity, 0),
  };
}

/** Adding what is already there adds to its quantity, up to the most a line may hold. */
export function addedQuantity(lines: readonly BasketLine[], productId: string, size: string | null, quantity: number) {
  const existing = lines.find((line) => line.productId === productId && line.size === size);
  return Math.min(MAX_BASKET_QUANTITY, (existing?.quantity ?? 0) + quantity);
}

export function withLine(
  lines: readonly BasketLine[],
  product: Pick<Product, 'id' | 'sku' | 'name' | 'imageUrl' | 'price'>,
  size: string | null,
  quantity: number,
): BasketLine[] {
  const line: BasketLine = {
    productId: product.id,
    sku: product.sku,
    name: product.name,
    imageUrl: product.imageUrl,
    size,
    quantity,
    unitPrice: product.price,
    lineTotal: thb(product.price.amount * quantity),
    available: true,
  };
  // One line per product, as in basket: choosing another size replaces the line.
  const index = lines.findIndex((existing) => existing.productId === product.id);
  return index === -1 ? [...lines, line] : lines.map((existing, at) => (at === index ? line : existing));
}

export function withQuantity(lines: readonly BasketLine[], productId: string, quantity: number): BasketLine[] {
  return lines.map((line) =>
    line.productId === productId ? { ...line, quantity, lineTotal: thb(line.unitPrice.amount * quantity) } : line,
  );
}

export function withoutLine(lines: readonly BasketLine[], productId: string): BasketLine[] {
  return lines.filter((line) => line.productId !== productId);
}

export function loadGuestLines(): BasketLine[] {
  try {
    const stored = JSON.parse(window.localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(stored) ? (stored as BasketLine[]) : [];
  } catch {
    return [];
  }
}

export function saveGuestLines(lines: readonly BasketLine[]): void {
  if (lines.length === 0) window.localStorage.removeItem(KEY);
  else window.localStorage.setItem(KEY, JSON.stringify(lines));
}
