import { OrderLineSchema, OrderStatusSchema } from '@talad/contracts-ordering';
import { withTransaction, type Pool, type PoolClient } from '@talad/pg';
import type { ServiceApp } from '@talad/service';
import { z } from 'zod';
import { CHECKOUT_SAGA } from './checkout-port.ts';
import { fold, type OrderEvent } from './domain/index.ts';

/** Admins, and machine clients that only read (the invariant checker). */
const ORDERING_READERS = ['admin', { scope: 'ordering:read' }] as const;
const STREAM_PREFIX = 'order-';

const OrderConsistencySchema = z.object({
  orderId: z.uuid(),
  status: OrderStatusSchema,
  customerId: z.uuid(),
  paymentMethod: z.string(),
  lines: z.array(OrderLineSchema),
  /** The stream's last version. */
  streamVersion: z.int().nonnegative(),
  /** Versions are exactly 1..n: none missing, none doubled. */
  streamContiguous: z.boolean(),
  /** The checkout saga's state; null when the order has no saga. */
  sagaState: z.string().nullable(),
});

const ConsistencyViewSchema = z.object({
  orders: z.array(OrderConsistencySchema),
  /** Order streams whose events do not fold to an order (no OrderPlaced first): always a defect. */
  unreadableStreams: z.array(z.string()),
});
type ConsistencyView = z.infer<typeof ConsistencyViewSchema>;

/**
 * `GET /admin/consistency`: every order as its stream folds, whether the stream's versions are
 * contiguous, and its checkout saga's state, all in one snapshot, for the invariant checker to compare
 * with inventory and payment.
 */
export function registerConsistencyRoutes(app: ServiceApp, pool: Pool): void {
  app.get(
    '/admin/consistency',
    {
      config: { access: ORDERING_READERS },
      schema: {
        summary: 'Every order with its stream version and saga state, for invariant checks',
        description:
          'In one snapshot: each order stream folded (status, customer, lines), its last version, whether its ' +
          'versions run 1..n without gaps, and the checkout saga instance of the order.',
        response: { 200: ConsistencyViewSchema },
      },
    },
    async () => withTransaction(pool, readConsistency, { isolation: 'repeatable read', readOnly: true }),
  );
}

async function readConsistency(db: PoolClient): Promise<ConsistencyView> {
  const events = await db.query<{ stream_id: string; version: number; type: string; data: unknown }>(
    `SELECT stream_id, version, type, data FROM events WHERE starts_with(stream_id, $1) ORDER BY stream_id, version`,
    [STREAM_PREFIX],
  );
  // The saga's table sits in this database; reading it here keeps the order and its saga in one snapshot.
  const sagas = await db.query<{ id: string; state: string }>(
    'SELECT id, state FROM saga_instances WHERE definition = $1',
    [CHECKOUT_SAGA],
  );
  const sagaStates = new Map(sagas.rows.map((row) => [row.id, row.state]));

  const streams = new Map<string, Array<{ version: number; event: OrderEvent }>>();
  for (const row of events.rows) {
    const stream = streams.get(row.stream_id) ?? [];
    stream.push({ version: row.version, event: { type: row.type, data: row.data } as OrderEvent });
    streams.set(row.stream_id, stream);
  }

  const view: ConsistencyView = { orders: [], unreadableStreams: [] };
  for (const [streamId, stream] of streams) {
    const order = fold(stream.map((entry) => entry.event));
    if (!order) {
      view.unreadableStreams.push(streamId);
      continue;
    }
    view.orders.push({
      orderId: order.orderId,
      status: order.status,
      customerId: order.customerId,
      paymentMethod: order.paymentMethod,
      lines: [...order.lines],
      streamVersion: stream.at(-1)?.version ?? 0,
      streamContiguous: stream.every((entry, index) => entry.version === index + 1),
      sagaState: sagaStates.get(order.orderId) ?? null,
    });
  }
  return view;
}
