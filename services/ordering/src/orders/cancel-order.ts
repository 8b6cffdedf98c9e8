import { DomainError, newId, type Clock } from '@talad/core';
import { isConcurrencyError } from '@talad/eventstore';
import type { Messaging } from '@talad/messaging';
import { isTransactionConflict, type PoolClient } from '@talad/pg';
import { OrderingErrorCode } from '../error-codes.ts';
import { CANCELLATION_SAGA } from './cancellation-port.ts';
import type { CheckoutOrchestrator } from './checkout-port.ts';
import type { CancelledBy, Order } from './domain/index.ts';
import { CUSTOMER_CANCELLATION_REASON } from './order-lifecycle.ts';
import { executeOrderCommand, loadOrder } from './order-store.ts';

export interface CancelOrderParts {
  messaging: Messaging;
  orchestrator: CheckoutOrchestrator;
  clock: Clock;
}

/**
 * Tries of one cancellation when the saga changes the order at the same moment: an append that lost
 * the race, or a deadlock (a reply's transition locks the saga, then appends to the order; this
 * appends, then locks the saga, and must append first: see below).
 */
const ATTEMPTS = 3;

/**
 * A customer's (or an admin's) cancellation. While checkout runs: the orchestrator aborts the saga
 * (undoing what it did, in reverse) and the order records the request; once everything is undone the
 * saga's `onCompensated` hook ends the order cancelled. Once approved: the cancellation saga starts
 * (see `startCancellation`). Refused (409) for a rejected order, one whose parcel was dispatched, or
 * while checkout is past its point of no return and not yet approved. Asking again answers the same.
 * `canSee` hides other customers' orders (404, as if they did not exist); `cancelledBy` says who asked.
 */
export async function cancelOrder(
  parts: CancelOrderParts,
  input: { orderId: string; canSee: (order: Order) => boolean; cancelledBy: (order: Order) => CancelledBy },
): Promise<{ orderId: string; status: Order['status'] }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await parts.messaging.transaction(async (tx) => {
        const { state } = await loadOrder(tx, input.orderId);
        if (!state || !input.canSee(state)) throw orderNotFound(input.orderId);
        if (state.status === 'cancelled' || (state.status === 'pending' && state.cancellationRequested)) {
          return { orderId: input.orderId, status: state.status };
        }
        if (state.status === 'approved') return startCancellation(parts, tx, state, input.cancelledBy(state));
        if (state.status !== 'pending') throw notCancellable(state);
        // Recorded first: when nothing is left to undo, the saga may end (and its hook cancel the
        // order) inside abort, in this transaction, and the hook reads the request from the order.
        await executeOrderCommand(tx, input.orderId, {
          type: 'RequestCancellation',
          by: input.cancelledBy(state),
          at: parts.clock.now().toISOString(),
        });
        if (!(await parts.orchestrator.abort(tx, input.orderId, CUSTOMER_CANCELLATION_REASON))) {
          throw notCancellable(state, 'checkout is already completing it');
        }
        return { orderId: input.orderId, status: (await loadOrder(tx, input.orderId)).state?.status ?? state.status };
      });
    } catch (error) {
      if (!(isConcurrencyError(error) || isTransactionConflict(error)) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/**
 * An approved order: the cancellation saga stops the shipment, refunds the payment and returns the
 * stock (`src/cancellation/`). Refused at once (409 `ORDERING_ORDER_ALREADY_DISPATCHED`, from the
 * domain) when ordering already knows the parcel left; when it left in the meantime, shipping refuses
 * and the order shows the request refused. A request while one runs answers the same, starting nothing.
 */
async function startCancellation(
  parts: CancelOrderParts,
  tx: PoolClient,
  order: Order,
  requestedBy: CancelledBy,
): Promise<{ orderId: string; status: Order['status'] }> {
  const sagaId = newId(parts.clock.now().getTime());
  const { events } = await executeOrderCommand(tx, order.orderId, {
    type: 'StartCancellation',
    sagaId,
    by: requestedBy,
    at: parts.clock.now().toISOString(),
  });
  if (events.length > 0) {
    await parts.orchestrator.start(tx, CANCELLATION_SAGA, sagaId, {
      orderId: order.orderId,
      customerId: order.customerId,
      requestedBy,
    });
  }
  return { orderId: order.orderId, status: order.status };
}

export function orderNotFound(orderId: string): DomainError {
  return new DomainError('not-found', OrderingErrorCode.OrderNotFound, `no order ${orderId}`);
}

function notCancellable(order: Order, why = `it is ${order.status}`): DomainError {
  return new DomainError(
    'conflict',
    OrderingErrorCode.OrderNotCancellable,
    `order ${order.orderId} can no longer be cancelled: ${why}`,
  );
}
