import type { OrderSummary, RebuildReport } from '@talad/contracts-order-history';
import { withTransaction, type Pool } from '@talad/pg';
import type { HistoryEvent } from './history-event.ts';
import { allEvents, allSummaries, lockOrder, reprojectOrder } from './history-store.ts';
import { projectOrder } from './order-projection.ts';

const REPORTED_DIFFERENCES = 100;

/**
 * Rebuilds the read model from scratch out of order-history's own event log, and checks it against the
 * live model. Both are read in one REPEATABLE READ snapshot: the live model and the log are written in the
 * same transactions, so at any snapshot the live model must equal the fold of the log, however many
 * events are being applied meanwhile. An order whose live summary differs is then folded again under
 * its lock (the same step an event takes), so the model is repaired and the next rebuild reports equal.
 *
 * @example
 * const report = await rebuildOrderHistory(pool); // { events: 1200, orders: 300, equal: true, ... }
 */
export async function rebuildOrderHistory(pool: Pool): Promise<RebuildReport> {
  const snapshot = await withTransaction(
    pool,
    async (tx) => {
      const byOrder = new Map<string, HistoryEvent[]>();
      let events = 0;
      for await (const page of allEvents(tx)) {
        for (const event of page) {
          events += 1;
          const list = byOrder.get(event.orderId);
          if (list) list.push(event);
          else byOrder.set(event.orderId, [event]);
        }
      }
      const rebuilt = new Map<string, OrderSummary>();
      for (const [orderId, orderEvents] of byOrder) {
        const summary = projectOrder(orderEvents);
        if (summary) rebuilt.set(orderId, summary);
      }
      return { events, rebuilt, live: await allSummaries(tx) };
    },
    { isolation: 'repeatable read', readOnly: true },
  );

  const differing = differingOrders(snapshot.rebuilt, snapshot.live);
  for (const orderId of differing) {
    await withTransaction(pool, async (tx) => {
      await lockOrder(tx, orderId);
      await reprojectOrder(tx, orderId);
    });
  }
  return {
    events: snapshot.events,
    orders: snapshot.rebuilt.size,
    equal: differing.length === 0,
    differingOrders: differing.slice(0, REPORTED_DIFFERENCES),
    repaired: differing.length,
  };
}

/** Orders whose summary is not the same in both models (missing from one counts). */
export function differingOrders(
  rebuilt: ReadonlyMap<string, OrderSummary>,
  live: ReadonlyMap<string, OrderSummary>,
): string[] {
  const ids = new Set([...rebuilt.keys(), ...live.keys()]);
  return [...ids]
    .filter((id) => {
      const a = rebuilt.get(id);
      const b = live.get(id);
      return !a || !b || canonicalJson(a) !== canonicalJson(b);
    })
    .sort();
}

/** JSON with object keys sorted: jsonb keeps its own key order, so plain strings would differ. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
