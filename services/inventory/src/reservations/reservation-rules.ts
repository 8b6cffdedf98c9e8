/**
 * The rules of reservations as plain functions over plain data: given the order's reservation as it is
 * (or null when inventory never heard of the order), the command and, for a new reservation, the
 * stock of its products, each `decide…` says what to answer, what to write and how stock moves. No I/O:
 * `reservation-store.ts` loads and locks the rows, applies the decision and publishes what changed.
 *
 * A reservation belongs to one order, so every command is idempotent per order: asking again gets
 * the same answer and changes nothing. Stock moves as:
 * - reserve:  reserved + q (only if every line is available: all or nothing);
 * - commit:   on hand - q and reserved - q (the units leave with the order; available is unchanged);
 * - release:  reserved - q while held; on hand + q once committed (a cancelled order's units return);
 * - return:   on hand + q of a committed reservation (an approved order cancelled before dispatch);
 * - expire:   reserved - q, once `expiresAt` has passed and nobody committed or released.
 */
import type { RESERVATION_STATES, STOCK_REJECTION_REASONS, StockLine } from '@talad/contracts-inventory';
import { assertNever } from '@talad/core';

export type StockRejectionReason = (typeof STOCK_REJECTION_REASONS)[number];
export type ReservationState = (typeof RESERVATION_STATES)[number];

export interface StockShortage {
  productId: string;
  requested: number;
  available: number;
}

export interface Reservation {
  orderId: string;
  state: ReservationState;
  /** One line per product, in product-id order; none for a tombstone or a refused reservation. */
  lines: StockLine[];
  expiresAt: Date | null;
  /** Why it was refused; null unless `rejected`. */
  reason: StockRejectionReason | null;
  shortages: StockShortage[];
}

/** A product's stock as the reservation rules need it. */
export interface ProductStock {
  productId: string;
  onHand: number;
  reserved: number;
  discontinued: boolean;
}

/** How one product's counters move: deltas, applied together in one statement. */
export interface StockChange {
  productId: string;
  onHand: number;
  reserved: number;
}

export interface Decision<Reply> {
  reply: Reply;
  /** The reservation row to insert (none existed) or update; null when nothing changes. */
  write: { kind: 'insert' | 'update'; reservation: Reservation } | null;
  /** In product-id order, the order in which their rows are locked. */
  changes: StockChange[];
}

export type ReserveReply =
  { type: 'reserved' } | { type: 'refused'; reason: StockRejectionReason; shortages: StockShortage[] };
export type ReleaseReply = { type: 'released' };
export type ReturnReply = { type: 'returned' };
export type CommitReply = { type: 'committed' } | { type: 'commit-failed'; reason: StockRejectionReason };

export interface ReserveCommand {
  orderId: string;
  lines: readonly StockLine[];
  expiresAt: Date;
}

/** Lines of the same product (an order may hold two sizes of one product) summed, in product-id order. */
export function mergeLines(lines: readonly StockLine[]): StockLine[] {
  const quantities = new Map<string, number>();
  for (const line of lines) {
    // PostgreSQL answers uuids in lower case; the map and the lock order must agree with it.
    const productId = line.productId.toLowerCase();
    quantities.set(productId, (quantities.get(productId) ?? 0) + line.quantity);
  }
  return [...quantities]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => compareIds(a.productId, b.productId));
}

/** The product ids a command touches, in the order their stock rows must be locked. */
export function productIdsOf(lines: readonly StockLine[]): string[] {
  return mergeLines(lines).map((line) => line.productId);
}

export function availableOf(stock: Pick<ProductStock, 'onHand' | 'reserved' | 'discontinued'>): number {
  return stock.discontinued ? 0 : stock.onHand - stock.reserved;
}

/**
 * `ReserveStock`. An order asking again gets the answer it got before: reserved while held or
 * committed, the same refusal when refused, and `RESERVATION_EXPIRED` once released or expired, so
 * a command that arrives after its order gave up (a replayed message) never holds stock again.
 * `stock` is consulted only for a new reservation, and must hold the rows of its products, locked.
 */
export function decideReserve(
  existing: Reservation | null,
  command: ReserveCommand,
  stock: ReadonlyMap<string, ProductStock>,
  now: Date,
): Decision<ReserveReply> {
  if (existing) return { reply: replyOfExisting(existing), write: null, changes: [] };
  const refuse = (reason: StockRejectionReason, shortages: StockShortage[]): Decision<ReserveReply> => ({
    reply: { type: 'refused', reason, shortages },
    write: { kind: 'insert', reservation: { ...record(command.orderId, 'rejected', []), reason, shortages } },
    changes: [],
  });
  if (command.expiresAt.getTime() <= now.getTime()) return refuse('RESERVATION_EXPIRED', []);

  const lines = mergeLines(command.lines);
  const unknown: StockShortage[] = [];
  const short: StockShortage[] = [];
  for (const line of lines) {
    const product = stock.get(line.productId);
    if (!product || product.discontinued) {
      unknown.push({ productId: line.productId, requested: line.quantity, available: 0 });
      continue;
    }
    const available = availableOf(product);
    if (line.quantity > available) short.push({ productId: line.productId, requested: line.quantity, available });
  }
  if (unknown.length > 0) return refuse('UNKNOWN_PRODUCT', [...unknown, ...short]);
  if (short.length > 0) return refuse('OUT_OF_STOCK', short);

  return {
    reply: { type: 'reserved' },
    write: { kind: 'insert', reservation: { ...record(command.orderId, 'held', lines), expiresAt: command.expiresAt } },
    changes: lines.map((line) => ({ productId: line.productId, onHand: 0, reserved: line.quantity })),
  };
}

function replyOfExisting(existing: Reservation): ReserveReply {
  switch (existing.state) {
    case 'held':
    case 'committed':
      return { type: 'reserved' };
    case 'released':
    case 'expired':
      return { type: 'refused', reason: 'RESERVATION_EXPIRED', shortages: [] };
    case 'rejected':
      return { type: 'refused', reason: existing.reason ?? 'OUT_OF_STOCK', shortages: existing.shortages };
    default:
      return assertNever(existing.state);
  }
}

/**
 * `ReleaseStock` (the saga's compensation, also a cancellation). Always succeeds: with nothing to
 * release it leaves a `released` tombstone so that a `ReserveStock` arriving later is refused.
 */
export function decideRelease(existing: Reservation | null, orderId: string): Decision<ReleaseReply> {
  const reply: ReleaseReply = { type: 'released' };
  if (!existing) return { reply, write: { kind: 'insert', reservation: record(orderId, 'released', []) }, changes: [] };
  switch (existing.state) {
    case 'held':
      return {
        reply,
        write: { kind: 'update', reservation: { ...existing, state: 'released' } },
        changes: existing.lines.map((line) => ({ productId: line.productId, onHand: 0, reserved: -line.quantity })),
      };
    case 'committed':
      return {
        reply,
        write: { kind: 'update', reservation: { ...existing, state: 'released' } },
        changes: existing.lines.map((line) => ({ productId: line.productId, onHand: line.quantity, reserved: 0 })),
      };
    case 'released':
    case 'expired':
    case 'rejected':
      return { reply, write: null, changes: [] };
    default:
      return assertNever(existing.state);
  }
}

/**
 * `ReturnStock` (the cancellation of an approved order, before dispatch): the committed units go back
 * on hand and the reservation ends `released`. Always succeeds: anything but a committed reservation
 * (none, still held, already given back) has nothing of this order's on the way out, so nothing to undo.
 * No tombstone: a return comes only after the commit, so no later command for the order is expected.
 */
export function decideReturn(existing: Reservation | null): Decision<ReturnReply> {
  const reply: ReturnReply = { type: 'returned' };
  if (existing?.state !== 'committed') return { reply, write: null, changes: [] };
  return {
    reply,
    write: { kind: 'update', reservation: { ...existing, state: 'released' } },
    changes: existing.lines.map((line) => ({ productId: line.productId, onHand: line.quantity, reserved: 0 })),
  };
}

/**
 * `CommitReservation` (after the saga's pivot). A held reservation commits even past its `expiresAt`
 * if the sweeper has not yet given it back: its units are still set aside. Once given back, it fails:
 * the order must not ship units that may be sold to someone else. A commit for an order inventory
 * never heard of leaves an `expired` tombstone, like a release does, so a late reservation is refused.
 */
export function decideCommit(existing: Reservation | null, orderId: string): Decision<CommitReply> {
  if (!existing) {
    return {
      reply: { type: 'commit-failed', reason: 'RESERVATION_EXPIRED' },
      write: { kind: 'insert', reservation: record(orderId, 'expired', []) },
      changes: [],
    };
  }
  switch (existing.state) {
    case 'held':
      return {
        reply: { type: 'committed' },
        write: { kind: 'update', reservation: { ...existing, state: 'committed' } },
        changes: existing.lines.map((line) => ({
          productId: line.productId,
          onHand: -line.quantity,
          reserved: -line.quantity,
        })),
      };
    case 'committed':
      return { reply: { type: 'committed' }, write: null, changes: [] };
    case 'released':
    case 'expired':
      return { reply: { type: 'commit-failed', reason: 'RESERVATION_EXPIRED' }, write: null, changes: [] };
    case 'rejected':
      return { reply: { type: 'commit-failed', reason: existing.reason ?? 'OUT_OF_STOCK' }, write: null, changes: [] };
    default:
      return assertNever(existing.state);
  }
}

/** The sweeper: a held reservation whose time is up gives its units back; anything else stays. */
export function decideExpiry(existing: Reservation, now: Date): Decision<null> | null {
  if (existing.state !== 'held' || !existing.expiresAt || existing.expiresAt.getTime() > now.getTime()) return null;
  return {
    reply: null,
    write: { kind: 'update', reservation: { ...existing, state: 'expired' } },
    changes: existing.lines.map((line) => ({ productId: line.productId, onHand: 0, reserved: -line.quantity })),
  };
}

/** Changes of several decisions, one per product, in product-id order (for one batch of the sweeper). */
export function combineChanges(changes: readonly StockChange[]): StockChange[] {
  const byProduct = new Map<string, StockChange>();
  for (const change of changes) {
    const sum = byProduct.get(change.productId) ?? { productId: change.productId, onHand: 0, reserved: 0 };
    byProduct.set(change.productId, {
      productId: change.productId,
      onHand: sum.onHand + change.onHand,
      reserved: sum.reserved + change.reserved,
    });
  }
  return [...byProduct.values()].sort((a, b) => compareIds(a.productId, b.productId));
}

/**
 * Product ids in the order PostgreSQL sorts uuids (byte order, which for lower-case canonical text is
 * the text order), so that every transaction locks stock rows in one order and none waits in a cycle.
 */
export function compareIds(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

function record(orderId: string, state: ReservationState, lines: StockLine[]): Reservation {
  return { orderId, state, lines, expiresAt: null, reason: null, shortages: [] };
}
