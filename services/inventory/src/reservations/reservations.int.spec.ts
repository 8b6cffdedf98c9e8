import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CommitReservation,
  ReleaseStock,
  ReserveStock,
  ReturnStock,
  type StockConsistency,
} from '@talad/contracts-inventory';
import { newId } from '@talad/core';
import { createMessaging } from '@talad/messaging';
import { createLogger } from '@talad/service';
import { startInventory, type InventoryHarness } from '../testing/inventory-harness.ts';
import { productId, testProduct } from '../testing/snapshot-catalog.ts';
import { createExpirySweeper } from './expiry-sweeper.ts';

/**
 * The checkout saga's stock steps as inventory sees them: commands through a real PostgreSQL message
 * log from a requester standing in for ordering, answered on its reply topic, on a real database.
 */
let inventory: InventoryHarness;

beforeAll(async () => {
  inventory = await startInventory({
    prefix: 'inventory_reservations',
    products: Array.from({ length: 12 }, (_, i) => testProduct(i + 1)),
  });
  await inventory.ready();
});

afterAll(async () => {
  await inventory.close();
});

const inMinutes = (minutes: number): string =>
  new Date(inventory.clock.now().getTime() + minutes * 60_000).toISOString();

async function setOnHand(product: string, onHand: number): Promise<void> {
  const response = await inventory.app.inject({
    method: 'PUT',
    url: `/admin/stock/${product}`,
    payload: { onHand },
    headers: await inventory.admin(),
  });
  expect(response.statusCode).toBe(200);
}

async function stockOf(product: string): Promise<{ onHand: number; reserved: number; available: number }> {
  const response = await inventory.app.inject({ url: `/admin/stock/${product}`, headers: await inventory.admin() });
  expect(response.statusCode).toBe(200);
  return response.json<{ onHand: number; reserved: number; available: number }>();
}

async function reservationOf(orderId: string): Promise<{ state: string; lines: unknown[] } | undefined> {
  const response = await inventory.app.inject({
    url: `/admin/reservations?orderId=${orderId}`,
    headers: await inventory.admin(),
  });
  expect(response.statusCode).toBe(200);
  return response.json<{ items: Array<{ state: string; lines: unknown[] }> }>().items[0];
}

/** Sends a command and waits for its reply. */
async function ask(...command: Parameters<InventoryHarness['requester']['send']>) {
  const { requester } = inventory;
  return requester.replyTo(await requester.send(...command));
}

describe('reserve, commit and release', () => {
  it('reserves, then commits: the units leave on hand and reserved', async () => {
    const product = productId(1);
    await setOnHand(product, 10);
    const orderId = newId();

    const reserved = await ask(ReserveStock, {
      orderId,
      lines: [{ productId: product, quantity: 3 }],
      expiresAt: inMinutes(15),
    });
    expect(reserved).toMatchObject({ type: 'inventory.StockReserved.v1', data: { orderId } });
    expect(await stockOf(product)).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    expect(await reservationOf(orderId)).toMatchObject({
      state: 'held',
      lines: [{ productId: product, quantity: 3 }],
    });

    const committed = await ask(CommitReservation, { orderId });
    expect(committed).toMatchObject({ type: 'inventory.ReservationCommitted.v1', data: { orderId } });
    expect(await stockOf(product)).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    expect((await reservationOf(orderId))?.state).toBe('committed');
  });

  it('releases a held reservation, giving its units back, and announces each change of availability', async () => {
    const product = productId(2);
    await setOnHand(product, 4);
    const orderId = newId();
    await ask(ReserveStock, { orderId, lines: [{ productId: product, quantity: 4 }], expiresAt: inMinutes(15) });
    expect(await stockOf(product)).toMatchObject({ available: 0 });

    const released = await ask(ReleaseStock, { orderId });
    expect(released).toMatchObject({ type: 'inventory.StockReleased.v1', data: { orderId } });
    expect(await stockOf(product)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
    expect((await reservationOf(orderId))?.state).toBe('released');

    const events = () => inventory.requester.stockEvents.filter((event) => event.productId === product);
    await waitUntil(() => events().length >= 3);
    expect(events().map((event) => event.available)).toEqual([4, 0, 4]);
  });

  it('answers the same command sent twice the same way, with one effect', async () => {
    const product = productId(3);
    await setOnHand(product, 10);
    const orderId = newId();
    const command = { orderId, lines: [{ productId: product, quantity: 2 }], expiresAt: inMinutes(15) };

    const first = await ask(ReserveStock, command);
    const second = await ask(ReserveStock, command);
    expect([first.type, second.type]).toEqual(['inventory.StockReserved.v1', 'inventory.StockReserved.v1']);
    expect(await stockOf(product)).toMatchObject({ reserved: 2, available: 8 });

    const commits = [await ask(CommitReservation, { orderId }), await ask(CommitReservation, { orderId })];
    expect(commits.map((reply) => reply.type)).toEqual([
      'inventory.ReservationCommitted.v1',
      'inventory.ReservationCommitted.v1',
    ]);
    expect(await stockOf(product)).toMatchObject({ onHand: 8, reserved: 0 });
    // A reservation asked for again after its commit still counts as made, and holds nothing more.
    expect((await ask(ReserveStock, command)).type).toBe('inventory.StockReserved.v1');
    expect(await stockOf(product)).toMatchObject({ onHand: 8, reserved: 0 });

    const other = newId();
    await ask(ReserveStock, { ...command, orderId: other });
    const releases = [await ask(ReleaseStock, { orderId: other }), await ask(ReleaseStock, { orderId: other })];
    expect(releases.map((reply) => reply.type)).toEqual(['inventory.StockReleased.v1', 'inventory.StockReleased.v1']);
    expect(await stockOf(product)).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
  });

  it('refuses the whole order when a line is short or unknown, naming the shortages, and holds nothing', async () => {
    const [plenty, scarce] = [productId(4), productId(5)];
    await setOnHand(plenty, 10);
    await setOnHand(scarce, 1);
    const short = await ask(ReserveStock, {
      orderId: newId(),
      lines: [
        { productId: plenty, quantity: 2 },
        { productId: scarce, quantity: 2 },
      ],
      expiresAt: inMinutes(15),
    });
    expect(short).toMatchObject({
      type: 'inventory.StockReservationFailed.v1',
      data: { reason: 'OUT_OF_STOCK', shortages: [{ productId: scarce, requested: 2, available: 1 }] },
    });
    const unknownProduct = newId();
    const unknown = await ask(ReserveStock, {
      orderId: newId(),
      lines: [{ productId: unknownProduct, quantity: 1 }],
      expiresAt: inMinutes(15),
    });
    expect(unknown.data).toMatchObject({
      reason: 'UNKNOWN_PRODUCT',
      shortages: [{ productId: unknownProduct, requested: 1, available: 0 }],
    });
    expect(await stockOf(plenty)).toMatchObject({ reserved: 0 });
    expect(await stockOf(scarce)).toMatchObject({ reserved: 0 });
  });

  it('gives the last unit to exactly one of 20 orders racing for it', async () => {
    const product = productId(6);
    await setOnHand(product, 1);
    const orders = Array.from({ length: 20 }, () => newId());
    const commandIds = await Promise.all(
      orders.map((orderId) =>
        inventory.requester.send(ReserveStock, {
          orderId,
          lines: [{ productId: product, quantity: 1 }],
          expiresAt: inMinutes(15),
        }),
      ),
    );
    const replies = await Promise.all(commandIds.map((id) => inventory.requester.replyTo(id)));

    const winners = replies.filter((reply) => reply.type === 'inventory.StockReserved.v1');
    const losers = replies.filter((reply) => reply.type === 'inventory.StockReservationFailed.v1');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      expect(loser.data).toMatchObject({
        reason: 'OUT_OF_STOCK',
        shortages: [{ productId: product, requested: 1, available: 0 }],
      });
    }
    expect(await stockOf(product)).toMatchObject({ onHand: 1, reserved: 1, available: 0 });
  });

  it('never oversells when orders name the same two products in opposite orders at once', async () => {
    const [left, right] = [productId(9), productId(10)];
    await setOnHand(left, 5);
    await setOnHand(right, 5);
    const commandIds = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        inventory.requester.send(ReserveStock, {
          orderId: newId(),
          lines:
            i % 2 === 0
              ? [
                  { productId: left, quantity: 1 },
                  { productId: right, quantity: 1 },
                ]
              : [
                  { productId: right, quantity: 1 },
                  { productId: left, quantity: 1 },
                ],
          expiresAt: inMinutes(15),
        }),
      ),
    );
    const replies = await Promise.all(commandIds.map((id) => inventory.requester.replyTo(id)));
    expect(replies.filter((reply) => reply.type === 'inventory.StockReserved.v1')).toHaveLength(5);
    expect(await stockOf(left)).toMatchObject({ onHand: 5, reserved: 5, available: 0 });
    expect(await stockOf(right)).toMatchObject({ onHand: 5, reserved: 5, available: 0 });
  });

  it('refuses a reservation that arrives after its order released it (a late or replayed command)', async () => {
    const product = productId(7);
    await setOnHand(product, 5);
    const orderId = newId();
    const released = await ask(ReleaseStock, { orderId });
    expect(released).toMatchObject({ type: 'inventory.StockReleased.v1', data: { orderId } });
    expect(await reservationOf(orderId)).toMatchObject({ state: 'released', lines: [] });

    const late = await ask(ReserveStock, {
      orderId,
      lines: [{ productId: product, quantity: 1 }],
      expiresAt: inMinutes(15),
    });
    expect(late).toMatchObject({
      type: 'inventory.StockReservationFailed.v1',
      data: { orderId, reason: 'RESERVATION_EXPIRED', shortages: [] },
    });
    expect(await stockOf(product)).toMatchObject({ onHand: 5, reserved: 0 });
  });
});

describe('returning stock of a cancelled order', () => {
  it('puts the committed units back on hand once however often asked, and announces it', async () => {
    const product = productId(11);
    await setOnHand(product, 10);
    const orderId = newId();
    await ask(ReserveStock, { orderId, lines: [{ productId: product, quantity: 3 }], expiresAt: inMinutes(15) });
    await ask(CommitReservation, { orderId });
    expect(await stockOf(product)).toMatchObject({ onHand: 7, reserved: 0, available: 7 });

    const returns = [await ask(ReturnStock, { orderId }), await ask(ReturnStock, { orderId })];
    expect(returns).toEqual([
      expect.objectContaining({ type: 'inventory.StockReturned.v1', data: { orderId } }),
      expect.objectContaining({ type: 'inventory.StockReturned.v1', data: { orderId } }),
    ]);
    expect(await stockOf(product)).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    expect((await reservationOf(orderId))?.state).toBe('released');
    // A release after the return (a checkout compensation replayed) gives nothing back a second time.
    await ask(ReleaseStock, { orderId });
    expect(await stockOf(product)).toMatchObject({ onHand: 10, reserved: 0 });

    const events = () => inventory.requester.stockEvents.filter((event) => event.productId === product);
    await waitUntil(() => events().at(-1)?.available === 10);
    expect(events().map((event) => event.available)).toEqual([10, 7, 10]);
  });

  it('answers success with nothing to undo when nothing was committed', async () => {
    const product = productId(12);
    await setOnHand(product, 5);
    const unknown = newId();
    expect(await ask(ReturnStock, { orderId: unknown })).toMatchObject({
      type: 'inventory.StockReturned.v1',
      data: { orderId: unknown },
    });
    expect(await reservationOf(unknown)).toBeUndefined();

    const held = newId();
    await ask(ReserveStock, { orderId: held, lines: [{ productId: product, quantity: 2 }], expiresAt: inMinutes(15) });
    expect((await ask(ReturnStock, { orderId: held })).type).toBe('inventory.StockReturned.v1');
    expect(await stockOf(product)).toMatchObject({ onHand: 5, reserved: 2 });
    expect((await reservationOf(held))?.state).toBe('held');
  });
});

describe('expiry', () => {
  it('gives back each expired reservation exactly once with two sweepers at once; a late commit fails', async () => {
    const product = productId(8);
    await setOnHand(product, 10);
    const expiring = [newId(), newId(), newId()];
    for (const orderId of expiring) {
      await ask(ReserveStock, { orderId, lines: [{ productId: product, quantity: 2 }], expiresAt: inMinutes(1) });
    }
    const lasting = newId();
    await ask(ReserveStock, {
      orderId: lasting,
      lines: [{ productId: product, quantity: 1 }],
      expiresAt: inMinutes(60),
    });
    expect(await stockOf(product)).toMatchObject({ reserved: 7, available: 3 });

    const sweeper = () =>
      createExpirySweeper({
        messaging: createMessaging({
          service: 'inventory',
          pool: inventory.pool,
          transport: inventory.transport,
          logger: createLogger({ service: 'inventory', level: 'silent' }),
        }),
        clock: inventory.clock,
        logger: createLogger({ service: 'inventory', level: 'silent' }),
        intervalMs: 60_000,
        batchSize: 1,
      });
    const [first, second] = [sweeper(), sweeper()];
    expect(await first.sweepOnce()).toBe(0);

    inventory.clock.advance(2 * 60_000);
    const expired = await Promise.all([first.sweepOnce(), second.sweepOnce()]);
    expect(expired[0] + expired[1]).toBe(3);
    expect(await stockOf(product)).toMatchObject({ onHand: 10, reserved: 1, available: 9 });
    for (const orderId of expiring) expect((await reservationOf(orderId))?.state).toBe('expired');
    expect((await reservationOf(lasting))?.state).toBe('held');
    expect(await first.sweepOnce()).toBe(0);

    const late = await ask(CommitReservation, { orderId: expiring[0] as string });
    expect(late).toMatchObject({
      type: 'inventory.ReservationCommitFailed.v1',
      data: { reason: 'RESERVATION_EXPIRED' },
    });
    expect(await stockOf(product)).toMatchObject({ onHand: 10, reserved: 1 });
  });
});

describe('consistency view', () => {
  it('shows counters that agree with the reservations holding them', async () => {
    const customer = {
      authorization: `Bearer ${await inventory.issuer.tokenFor({ sub: 'c-1', roles: ['customer'] })}`,
    };
    expect((await inventory.app.inject({ url: '/admin/consistency', headers: customer })).statusCode).toBe(403);
    const checker = {
      authorization: `Bearer ${await inventory.issuer.tokenFor({ sub: 'checker', client_id: 'checker', scope: 'inventory:read' })}`,
    };
    const response = await inventory.app.inject({ url: '/admin/consistency', headers: checker });
    expect(response.statusCode).toBe(200);
    const view = response.json<StockConsistency>();

    const sumOfLines = (productId: string, state: string) =>
      view.reservations
        .filter((reservation) => reservation.state === state)
        .flatMap((reservation) => reservation.lines)
        .filter((line) => line.productId === productId)
        .reduce((sum, line) => sum + line.quantity, 0);
    // Products named by a reservation's lines: refused reservations and tombstones hold none.
    expect(view.products.map((product) => product.productId)).toEqual([1, 2, 3, 6, 8, 9, 10, 11, 12].map(productId));
    for (const product of view.products) {
      expect(product.reserved).toBe(sumOfLines(product.productId, 'held'));
      expect(product.committed).toBe(sumOfLines(product.productId, 'committed'));
      expect(product.onHand).toBeGreaterThanOrEqual(product.reserved);
    }
    expect(view.products.find((product) => product.productId === productId(1))).toEqual({
      productId: productId(1),
      onHand: 7,
      reserved: 0,
      committed: 3,
    });
    expect(view.reservations.filter((reservation) => reservation.state === 'rejected').length).toBeGreaterThanOrEqual(
      21,
    );
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !check(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
