import { requireCaller, requireUser } from '@talad/auth';
import {
  OrderHistoryPageSchema,
  OrderHistoryParamsSchema,
  OrderHistoryQuerySchema,
  OrderSummarySchema,
  RebuildReportSchema,
} from '@talad/contracts-order-history';
import { DomainError } from '@talad/core';
import type { Pool } from '@talad/pg';
import type { ServiceApp } from '@talad/service';
import { OrderHistoryErrorCode } from '../error-codes.ts';
import { listSummaries, readSummary } from './history-store.ts';
import { rebuildOrderHistory } from './rebuild.ts';

/** The longest `Prefer: wait` honoured: well inside the gateway's deadline for this route. */
const MAX_WAIT_MS = 3_000;
const WAIT_POLL_MS = 100;

/**
 * The `wait` preference of RFC 7240 in milliseconds (0 when absent or malformed), capped. A client that
 * has just placed an order asks with it, so the summary its events are still on their way to is
 * answered once it exists, not with a 404 a moment too early.
 */
export function preferredWaitMs(prefer: string | string[] | undefined): number {
  const header = Array.isArray(prefer) ? prefer.join(',') : (prefer ?? '');
  const match = /(?:^|[,;\s])wait\s*=\s*"?(\d+)"?/i.exec(header);
  return match ? Math.min(Number(match[1]) * 1_000, MAX_WAIT_MS) : 0;
}

/** The summary, asked again until it exists or `waitMs` has passed. */
async function readSummaryWaiting(pool: Pool, orderId: string, waitMs: number) {
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    const summary = await readSummary(pool, orderId);
    if (summary || Date.now() + WAIT_POLL_MS > giveUpAt) return summary;
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
}

/**
 * "My orders" and one order's summary, read from the model alone (never from ordering, payment or
 * shipping), and the operators' rebuild.
 */
export function registerOrderHistoryRoutes(app: ServiceApp, parts: { pool: Pool }): void {
  const { pool } = parts;

  app.get(
    '/order-history',
    {
      config: { access: 'customer' },
      schema: {
        summary: 'My orders, newest first',
        querystring: OrderHistoryQuerySchema,
        response: { 200: OrderHistoryPageSchema },
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { page, pageSize } = request.query;
      return { ...(await listSummaries(pool, userId, page, pageSize)), page, pageSize };
    },
  );

  app.get(
    '/order-history/:orderId',
    {
      // Machine clients reading orders (the invariant checker) too.
      config: { access: ['customer', { scope: 'ordering:read' }] },
      schema: {
        summary: "An order's summary: lines, totals, payment (receipt or pay slip) and status timeline",
        description:
          'The order’s owner, admins and clients with ordering:read see it; anyone else gets 404 ' +
          'ORDER_HISTORY_ORDER_NOT_FOUND. With `Prefer: wait=N` (RFC 7240, at most 3 s) an order not yet ' +
          'in the model is waited for that long before the 404: read-your-writes right after placing it.',
        params: OrderHistoryParamsSchema,
        response: { 200: OrderSummarySchema },
      },
    },
    async (request) => {
      const caller = requireCaller(request);
      const summary = await readSummaryWaiting(
        pool,
        request.params.orderId,
        preferredWaitMs(request.headers['prefer']),
      );
      const mayRead =
        caller.kind === 'client' || caller.userId === summary?.customerId || caller.roles.includes('admin');
      if (!summary || !mayRead) {
        throw new DomainError(
          'not-found',
          OrderHistoryErrorCode.OrderNotFound,
          `no order ${request.params.orderId} in your order history`,
        );
      }
      return summary;
    },
  );

  app.post(
    '/admin/rebuild',
    {
      // The operator's tool replays messages with this scope already; a rebuild replays received events.
      config: { access: ['admin', { scope: 'messaging:admin' }] },
      schema: {
        summary: 'Rebuild the read model from the received events and compare it with the live one',
        description:
          'Reads the event log and the live model in one snapshot, folds the log from scratch, compares ' +
          'order by order and folds again any order that differed.',
        response: { 200: RebuildReportSchema },
      },
    },
    async (request) => {
      const report = await rebuildOrderHistory(pool);
      request.log.info({ ...report, differingOrders: undefined }, 'order-history rebuilt');
      return report;
    },
  );
}
