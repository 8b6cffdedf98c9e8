import { MAX_BASKET_LINES, type Basket } from '@talad/contracts-basket';
import type { Product } from '@talad/contracts-catalog';
import { DomainError } from '@talad/core';
import type { Queryable } from '@talad/pg';
import { BasketErrorCode } from '../error-codes.ts';
import { basketView, type LineRow } from './basket-view.ts';

/** A line to put: the product as catalog has it now, and the shopper's choice. */
export interface LineChoice {
  product: Product;
  quantity: number;
  size: string | null;
}

/** The customer's basket (empty, with `updatedAt` null, for one who never had one). */
export async function readBasket(db: Queryable, customerId: string): Promise<Basket> {
  const basket = await db.query<{ updated_at: Date }>('SELECT updated_at FROM baskets WHERE customer_id = $1', [
    customerId,
  ]);
  const lines = await db.query<LineRow>(
    `SELECT product_id, sku, name, image_url, size, quantity, unit_price_amount, available
     FROM basket_lines WHERE customer_id = $1 ORDER BY added_at, product_id`,
    [customerId],
  );
  return basketView(customerId, lines.rows, basket.rows[0]?.updated_at ?? null);
}

/**
 * Sets a line (adds it, or changes its quantity and size) in the caller's transaction. The basket's row
 * is written first, which locks it: one customer's changes take turns, so two requests at once cannot
 * both add the 50th line. A copy of the product never replaces a newer one (`product_updated_at`).
 */
export async function putLine(tx: Queryable, customerId: string, choice: LineChoice, now: Date): Promise<void> {
  await touchBasket(tx, customerId, now);
  const { rows } = await tx.query<{ lines: number; present: boolean }>(
    `SELECT count(*)::int AS lines, bool_or(product_id = $2) AS present FROM basket_lines WHERE customer_id = $1`,
    [customerId, choice.product.id],
  );
  const { lines = 0, present = false } = rows[0] ?? {};
  if (!present && lines >= MAX_BASKET_LINES) {
    throw new DomainError(
      'invalid',
      BasketErrorCode.TooManyLines,
      `a basket holds at most ${MAX_BASKET_LINES} different products; remove one first`,
    );
  }
  const { product } = choice;
  await tx.query(
    `INSERT INTO basket_lines (customer_id, product_id, sku, name, image_url, size, quantity, unit_price_amount,
       available, product_updated_at, added_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true, $9, $10)
     ON CONFLICT (customer_id, product_id) DO UPDATE SET size = EXCLUDED.size, quantity = EXCLUDED.quantity`,
    [
      customerId,
      product.id,
      product.sku,
      product.name,
      product.imageUrl,
      choice.size,
      choice.quantity,
      product.price.amount,
      product.updatedAt,
      now,
    ],
  );
  // A line that was already there takes the fresh copy too (unless an event brought a newer one meanwhile).
  await tx.query(
    `UPDATE basket_lines SET sku = $3, name = $4, image_url = $5, unit_price_amount = $6, available = true,
       product_updated_at = $7
     WHERE customer_id = $1 AND product_id = $2 AND product_updated_at < $7`,
    [customerId, product.id, product.sku, product.name, product.imageUrl, product.price.amount, product.updatedAt],
  );
}

/** Takes a product out of the basket; nothing to take out is not an error. */
export async function removeLine(tx: Queryable, customerId: string, productId: string, now: Date): Promise<void> {
  await touchBasket(tx, customerId, now);
  await tx.query('DELETE FROM basket_lines WHERE customer_id = $1 AND product_id = $2', [customerId, productId]);
}

/** Empties the basket (the customer's choice, or their order was placed). */
export async function emptyBasket(tx: Queryable, customerId: string, now: Date): Promise<void> {
  await touchBasket(tx, customerId, now);
  await tx.query('DELETE FROM basket_lines WHERE customer_id = $1', [customerId]);
}

/**
 * Catalog changed a product: every line holding it takes the new name, image and price, and becomes
 * unavailable if its size is no longer offered. Copies newer than the event are left alone. Returns
 * how many lines changed.
 */
export async function refreshProduct(tx: Queryable, product: Product): Promise<number> {
  const { rowCount } = await tx.query(
    `UPDATE basket_lines SET sku = $2, name = $3, image_url = $4, unit_price_amount = $5,
       available = CASE WHEN cardinality($6::text[]) = 0 THEN size IS NULL ELSE coalesce(size = ANY($6::text[]), false) END,
       product_updated_at = $7
     WHERE product_id = $1 AND product_updated_at <= $7`,
    [product.id, product.sku, product.name, product.imageUrl, product.price.amount, product.sizes, product.updatedAt],
  );
  return rowCount ?? 0;
}

/** Catalog deleted a product: lines holding it stay visible, marked unavailable. */
export async function markProductGone(tx: Queryable, productId: string): Promise<number> {
  const { rowCount } = await tx.query('UPDATE basket_lines SET available = false WHERE product_id = $1', [productId]);
  return rowCount ?? 0;
}

async function touchBasket(tx: Queryable, customerId: string, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO baskets (customer_id, updated_at) VALUES ($1, $2)
     ON CONFLICT (customer_id) DO UPDATE SET updated_at = EXCLUDED.updated_at`,
    [customerId, now],
  );
}
