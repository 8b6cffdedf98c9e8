import { describe, expect, it } from 'vitest';
import {
  combineChanges,
  decideCommit,
  decideExpiry,
  decideRelease,
  decideReserve,
  decideReturn,
  mergeLines,
  type ProductStock,
  type Reservation,
} from './reservation-rules.ts';

const shoe = '01960000-0000-7000-8000-00000000000a';
const shirt = '01960000-0000-7000-8000-00000000000b';
const gone = '01960000-0000-7000-8000-00000000000c';
const orderId = '01960000-0000-7000-8000-0000000000f1';
const now = new Date('2026-03-01T10:00:00Z');
const later = new Date('2026-03-01T10:15:00Z');

const stockOf = (...products: ProductStock[]): Map<string, ProductStock> =>
  new Map(products.map((product) => [product.productId, product]));
const inStock = (productId: string, onHand: number, reserved = 0): ProductStock => ({
  productId,
  onHand,
  reserved,
  discontinued: false,
});
const reservation = (state: Reservation['state'], overrides: Partial<Reservation> = {}): Reservation => ({
  orderId,
  state,
  lines: [{ productId: shoe, quantity: 2 }],
  expiresAt: later,
  reason: null,
  shortages: [],
  ...overrides,
});
const reserve = (lines: Array<{ productId: string; quantity: number }>, expiresAt = later) => ({
  orderId,
  lines,
  expiresAt,
});

describe('decideReserve', () => {
  it('holds every line when all are available, raising reserved', () => {
    const decision = decideReserve(
      null,
      reserve([{ productId: shoe, quantity: 2 }]),
      stockOf(inStock(shoe, 5, 3)),
      now,
    );
    expect(decision.reply).toEqual({ type: 'reserved' });
    expect(decision.write).toMatchObject({ kind: 'insert', reservation: { state: 'held', expiresAt: later } });
    expect(decision.changes).toEqual([{ productId: shoe, onHand: 0, reserved: 2 }]);
  });

  it('sums two lines of one product (two sizes) and orders lines by product id', () => {
    const decision = decideReserve(
      null,
      reserve([
        { productId: shirt, quantity: 1 },
        { productId: shoe, quantity: 1 },
        { productId: shirt, quantity: 2 },
      ]),
      stockOf(inStock(shoe, 1), inStock(shirt, 3)),
      now,
    );
    expect(decision.reply).toEqual({ type: 'reserved' });
    expect(decision.changes).toEqual([
      { productId: shoe, onHand: 0, reserved: 1 },
      { productId: shirt, onHand: 0, reserved: 3 },
    ]);
  });

  it('refuses all lines when one is short, naming each shortage, and moves nothing', () => {
    const decision = decideReserve(
      null,
      reserve([
        { productId: shoe, quantity: 1 },
        { productId: shirt, quantity: 4 },
      ]),
      stockOf(inStock(shoe, 10), inStock(shirt, 5, 2)),
      now,
    );
    expect(decision.reply).toEqual({
      type: 'refused',
      reason: 'OUT_OF_STOCK',
      shortages: [{ productId: shirt, requested: 4, available: 3 }],
    });
    expect(decision.changes).toEqual([]);
    expect(decision.write).toMatchObject({
      kind: 'insert',
      reservation: { state: 'rejected', reason: 'OUT_OF_STOCK' },
    });
  });

  it('refuses an unknown or discontinued product as UNKNOWN_PRODUCT', () => {
    const unknown = decideReserve(null, reserve([{ productId: gone, quantity: 1 }]), stockOf(), now);
    expect(unknown.reply).toEqual({
      type: 'refused',
      reason: 'UNKNOWN_PRODUCT',
      shortages: [{ productId: gone, requested: 1, available: 0 }],
    });
    const discontinued = decideReserve(
      null,
      reserve([{ productId: shoe, quantity: 1 }]),
      stockOf({ ...inStock(shoe, 9), discontinued: true }),
      now,
    );
    expect(discontinued.reply).toMatchObject({ type: 'refused', reason: 'UNKNOWN_PRODUCT' });
  });

  it('refuses a reservation whose expiry has already passed', () => {
    const decision = decideReserve(
      null,
      reserve([{ productId: shoe, quantity: 1 }], now),
      stockOf(inStock(shoe, 9)),
      now,
    );
    expect(decision.reply).toEqual({ type: 'refused', reason: 'RESERVATION_EXPIRED', shortages: [] });
    expect(decision.changes).toEqual([]);
  });

  it('answers a repeated command with the first answer and changes nothing', () => {
    const stock = stockOf(inStock(shoe, 100));
    const command = reserve([{ productId: shoe, quantity: 2 }]);
    for (const state of ['held', 'committed'] as const) {
      expect(decideReserve(reservation(state), command, stock, now)).toEqual({
        reply: { type: 'reserved' },
        write: null,
        changes: [],
      });
    }
    const shortages = [{ productId: shoe, requested: 2, available: 0 }];
    expect(
      decideReserve(reservation('rejected', { lines: [], reason: 'OUT_OF_STOCK', shortages }), command, stock, now),
    ).toEqual({ reply: { type: 'refused', reason: 'OUT_OF_STOCK', shortages }, write: null, changes: [] });
  });

  it('refuses a reservation that comes after its release or expiry (a late or replayed command)', () => {
    for (const state of ['released', 'expired'] as const) {
      const decision = decideReserve(
        reservation(state, { lines: [] }),
        reserve([{ productId: shoe, quantity: 1 }]),
        stockOf(inStock(shoe, 9)),
        now,
      );
      expect(decision).toEqual({
        reply: { type: 'refused', reason: 'RESERVATION_EXPIRED', shortages: [] },
        write: null,
        changes: [],
      });
    }
  });
});

describe('decideRelease', () => {
  it('gives held units back', () => {
    expect(decideRelease(reservation('held'), orderId)).toEqual({
      reply: { type: 'released' },
      write: { kind: 'update', reservation: reservation('released') },
      changes: [{ productId: shoe, onHand: 0, reserved: -2 }],
    });
  });

  it('returns committed units to on-hand stock (a cancelled order)', () => {
    expect(decideRelease(reservation('committed'), orderId).changes).toEqual([
      { productId: shoe, onHand: 2, reserved: 0 },
    ]);
  });

  it('succeeds with nothing to release, leaving a tombstone', () => {
    expect(decideRelease(null, orderId)).toEqual({
      reply: { type: 'released' },
      write: {
        kind: 'insert',
        reservation: { orderId, state: 'released', lines: [], expiresAt: null, reason: null, shortages: [] },
      },
      changes: [],
    });
  });

  it('changes nothing when already released, expired or rejected', () => {
    for (const state of ['released', 'expired', 'rejected'] as const) {
      expect(decideRelease(reservation(state), orderId)).toEqual({
        reply: { type: 'released' },
        write: null,
        changes: [],
      });
    }
  });
});

describe('decideReturn', () => {
  it('puts committed units back on hand and ends the reservation released', () => {
    expect(decideReturn(reservation('committed'))).toEqual({
      reply: { type: 'returned' },
      write: { kind: 'update', reservation: reservation('released') },
      changes: [{ productId: shoe, onHand: 2, reserved: 0 }],
    });
  });

  it('succeeds with nothing to undo when nothing is committed, writing nothing', () => {
    for (const existing of [
      null,
      ...(['held', 'released', 'expired', 'rejected'] as const).map((state) => reservation(state)),
    ]) {
      expect(decideReturn(existing)).toEqual({ reply: { type: 'returned' }, write: null, changes: [] });
    }
  });
});

describe('decideCommit', () => {
  it('takes committed units out of on hand and reserved', () => {
    expect(decideCommit(reservation('held'), orderId)).toEqual({
      reply: { type: 'committed' },
      write: { kind: 'update', reservation: reservation('committed') },
      changes: [{ productId: shoe, onHand: -2, reserved: -2 }],
    });
  });

  it('answers a repeated commit as committed, changing nothing', () => {
    expect(decideCommit(reservation('committed'), orderId)).toEqual({
      reply: { type: 'committed' },
      write: null,
      changes: [],
    });
  });

  it('fails once the units were given back', () => {
    for (const state of ['released', 'expired'] as const) {
      expect(decideCommit(reservation(state), orderId)).toEqual({
        reply: { type: 'commit-failed', reason: 'RESERVATION_EXPIRED' },
        write: null,
        changes: [],
      });
    }
    expect(decideCommit(reservation('rejected', { reason: 'UNKNOWN_PRODUCT' }), orderId).reply).toEqual({
      type: 'commit-failed',
      reason: 'UNKNOWN_PRODUCT',
    });
  });

  it('fails with nothing to commit, leaving a tombstone that refuses a late reservation', () => {
    const decision = decideCommit(null, orderId);
    expect(decision.reply).toEqual({ type: 'commit-failed', reason: 'RESERVATION_EXPIRED' });
    expect(decision.write).toMatchObject({ kind: 'insert', reservation: { state: 'expired', lines: [] } });
  });
});

describe('decideExpiry', () => {
  it('gives back a held reservation once its time is up, and only then', () => {
    expect(decideExpiry(reservation('held'), now)).toBeNull();
    expect(decideExpiry(reservation('held'), later)).toEqual({
      reply: null,
      write: { kind: 'update', reservation: reservation('expired') },
      changes: [{ productId: shoe, onHand: 0, reserved: -2 }],
    });
  });

  it('leaves committed and released reservations alone', () => {
    expect(decideExpiry(reservation('committed'), later)).toBeNull();
    expect(decideExpiry(reservation('released'), later)).toBeNull();
  });
});

describe('mergeLines and combineChanges', () => {
  it('lower-cases product ids, so the order matches PostgreSQL’s', () => {
    expect(
      mergeLines([
        { productId: shirt.toUpperCase(), quantity: 1 },
        { productId: shirt, quantity: 1 },
      ]),
    ).toEqual([{ productId: shirt, quantity: 2 }]);
  });

  it('sums changes per product in product-id order', () => {
    expect(
      combineChanges([
        { productId: shirt, onHand: 0, reserved: -1 },
        { productId: shoe, onHand: 0, reserved: -2 },
        { productId: shirt, onHand: 0, reserved: -3 },
      ]),
    ).toEqual([
      { productId: shoe, onHand: 0, reserved: -2 },
      { productId: shirt, onHand: 0, reserved: -4 },
    ]);
  });
});
