/**
 * The inventory service's published contract: the checkout saga's stock commands with their replies,
 * the stock-level event, and the HTTP schema of stock levels.
 *
 * A reservation belongs to one order (`orderId` is the key and the reservation's identity), so every
 * command is idempotent per order: reserving twice holds the stock once, releasing or committing
 * something already released or committed answers as if it had just been done.
 */
import { z } from 'zod';
import { defineMessage } from '@talad/messaging';

export const StockLineSchema = z.object({ productId: z.uuid(), quantity: z.int().positive() });
export type StockLine = z.infer<typeof StockLineSchema>;

export const ReserveStock = defineMessage({
  type: 'inventory.ReserveStock.v1',
  kind: 'command',
  schema: z.object({
    orderId: z.uuid(),
    lines: z.array(StockLineSchema).min(1),
    /** A reservation nobody commits or releases is released by inventory at this time. */
    expiresAt: z.iso.datetime(),
  }),
});

export const StockReserved = defineMessage({
  type: 'inventory.StockReserved.v1',
  kind: 'reply',
  schema: z.object({ orderId: z.uuid() }),
});

export const StockShortageSchema = z.object({
  productId: z.uuid(),
  requested: z.int().positive(),
  available: z.int().nonnegative(),
});

export const STOCK_REJECTION_REASONS = ['OUT_OF_STOCK', 'UNKNOWN_PRODUCT', 'RESERVATION_EXPIRED'] as const;

export const StockReservationFailed = defineMessage({
  type: 'inventory.StockReservationFailed.v1',
  kind: 'reply',
  schema: z.object({
    orderId: z.uuid(),
    reason: z.enum(STOCK_REJECTION_REASONS),
    shortages: z.array(StockShortageSchema),
  }),
});

export const ReleaseStock = defineMessage({
  type: 'inventory.ReleaseStock.v1',
  kind: 'command',
  schema: z.object({ orderId: z.uuid() }),
});

export const StockReleased = defineMessage({
  type: 'inventory.StockReleased.v1',
  kind: 'reply',
  schema: z.object({ orderId: z.uuid() }),
});

export const CommitReservation = defineMessage({
  type: 'inventory.CommitReservation.v1',
  kind: 'command',
  schema: z.object({ orderId: z.uuid() }),
});

export const ReservationCommitted = defineMessage({
  type: 'inventory.ReservationCommitted.v1',
  kind: 'reply',
  schema: z.object({ orderId: z.uuid() }),
});

/** Committing a reservation that had already expired and been released fails: the order must not ship. */
export const ReservationCommitFailed = defineMessage({
  type: 'inventory.ReservationCommitFailed.v1',
  kind: 'reply',
  schema: z.object({ orderId: z.uuid(), reason: z.enum(STOCK_REJECTION_REASONS) }),
});

/** Published whenever a product's available quantity changes; keyed by product id. */
export const StockLevelChanged = defineMessage({
  type: 'inventory.StockLevelChanged.v1',
  kind: 'event',
  schema: z.object({ productId: z.uuid(), available: z.int().nonnegative() }),
});

export const STOCK_STATUSES = ['in_stock', 'few_left', 'sold_out'] as const;

/** `GET /api/inventory/stock?productId=…&productId=…`: what a product page shows as its badge. */
export const StockLevelSchema = z.object({
  productId: z.uuid(),
  available: z.int().nonnegative(),
  status: z.enum(STOCK_STATUSES),
});
export type StockLevel = z.infer<typeof StockLevelSchema>;
export const StockLevelListSchema = z.object({ items: z.array(StockLevelSchema) });
