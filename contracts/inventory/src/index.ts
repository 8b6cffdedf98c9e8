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

/*
 * Beyond the stock badge: the query of `GET /stock`, and the administration views (set a product's
 * stock, look up an order's reservation, the consistency view whole-system tests check invariants on).
 */

/** The most products one `GET /stock` asks for; more is a 400, not a silent cap. */
export const MAX_STOCK_QUERY_PRODUCTS = 100;
/** A guard against typing mistakes (an extra zero or two), not a business rule. */
export const MAX_ON_HAND = 1_000_000;
/** Available quantities from 1 to this show as `few_left`. */
export const FEW_LEFT_AT_MOST = 5;

/**
 * `GET /stock?productId=…&productId=…`. A single `productId` arrives as text and a repeated one as a
 * list; both become a list. Unknown and discontinued products are left out of the answer.
 */
export const StockLevelQuerySchema = z.strictObject({
  productId: z
    .preprocess(
      (value) => (typeof value === 'string' ? [value] : value),
      z.array(z.uuid()).min(1).max(MAX_STOCK_QUERY_PRODUCTS),
    )
    .describe(`Product ids, repeated: ?productId=…&productId=…, at most ${MAX_STOCK_QUERY_PRODUCTS}`),
});
export type StockLevelQuery = z.output<typeof StockLevelQuerySchema>;

export const StockProductParamsSchema = z.strictObject({ productId: z.uuid() });

/** `PUT /admin/stock/:productId`: the units on hand after a count or a delivery. */
export const SetStockSchema = z
  .strictObject({ onHand: z.int().min(0).max(MAX_ON_HAND).describe('Units in the warehouse, reserved ones included') })
  .describe("A product's counted stock");

export const StockRecordSchema = z
  .object({
    productId: z.uuid(),
    onHand: z.int().nonnegative(),
    reserved: z.int().nonnegative().describe('Held for orders not yet committed'),
    available: z.int().nonnegative().describe('onHand - reserved; 0 once the product is discontinued'),
    status: z.enum(STOCK_STATUSES),
    discontinued: z.boolean().describe('The catalog deleted the product; it can no longer be reserved'),
  })
  .describe("A product's stock counters");
export type StockRecord = z.infer<typeof StockRecordSchema>;

/**
 * - `held`: units set aside until `expiresAt`; `committed`: units gone with the order;
 * - `released`: given back, or a tombstone of a release that came before any reservation;
 * - `expired`: given back at `expiresAt` (or a tombstone of a commit with nothing to commit);
 * - `rejected`: refused, with `reason`; asking again gets the same answer.
 */
export const RESERVATION_STATES = ['held', 'committed', 'released', 'expired', 'rejected'] as const;

export const ReservationSchema = z
  .object({
    orderId: z.uuid(),
    state: z.enum(RESERVATION_STATES),
    lines: z.array(StockLineSchema).describe('One line per product; empty for tombstones and refusals'),
    expiresAt: z.iso.datetime().nullable(),
    reason: z.enum(STOCK_REJECTION_REASONS).nullable().describe('Why it was rejected'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .describe("An order's reservation");
export type ReservationView = z.infer<typeof ReservationSchema>;

export const ReservationQuerySchema = z.strictObject({
  orderId: z.uuid().optional().describe("The order's reservation; without it, the 100 newest"),
});
export const ReservationListSchema = z.object({ items: z.array(ReservationSchema) });

/**
 * `GET /admin/consistency`, read in one snapshot. For each product that any reservation names or holds
 * stock of: `reserved` is the product's counter, which must equal the lines of its `held` reservations,
 * and `committed` sums the lines of its `committed` ones. With every reservation's order and state, a
 * checker can match them against the orders that should hold them.
 */
export const StockConsistencySchema = z.object({
  products: z.array(
    z.object({
      productId: z.uuid(),
      onHand: z.int(),
      reserved: z.int(),
      committed: z.int().nonnegative(),
    }),
  ),
  reservations: z.array(
    z.object({ orderId: z.uuid(), state: z.enum(RESERVATION_STATES), lines: z.array(StockLineSchema) }),
  ),
});
export type StockConsistency = z.infer<typeof StockConsistencySchema>;

/** Cancelling an approved order before dispatch puts its committed units back on the shelf. */
export const ReturnStock = defineMessage({
  type: 'inventory.ReturnStock.v1',
  kind: 'command',
  schema: z.object({ orderId: z.uuid() }),
});
export const StockReturned = defineMessage({
  type: 'inventory.StockReturned.v1',
  kind: 'reply',
  schema: z.object({ orderId: z.uuid() }),
});
