import type { Basket, BasketLine } from '@talad/contracts-basket';

/** A stored line, as the repository reads it. */
export interface LineRow {
  product_id: string;
  sku: string;
  name: string;
  image_url: string;
  size: string | null;
  quantity: number;
  unit_price_amount: number;
  available: boolean;
}

/**
 * The basket as the shopper sees it. Lines no longer available stay visible but count in neither
 * the subtotal nor the item count, since they cannot be ordered.
 */
export function basketView(customerId: string, rows: readonly LineRow[], updatedAt: Date | null): Basket {
  const lines: BasketLine[] = rows.map((row) => ({
    productId: row.product_id,
    sku: row.sku,
    name: row.name,
    imageUrl: row.image_url,
    size: row.size,
    quantity: row.quantity,
    unitPrice: { amount: row.unit_price_amount, currency: 'THB' },
    lineTotal: { amount: row.unit_price_amount * row.quantity, currency: 'THB' },
    available: row.available,
  }));
  const orderable = lines.filter((line) => line.available);
  return {
    customerId,
    lines,
    subtotal: { amount: orderable.reduce((sum, line) => sum + line.lineTotal.amount, 0), currency: 'THB' },
    itemCount: orderable.reduce((sum, line) => sum + line.quantity, 0),
    updatedAt: updatedAt?.toISOString() ?? null,
  };
}
