import { DomainError, type Clock } from '@talad/core';
import { isConcurrencyError } from '@talad/eventstore';
import type { Messaging } from '@talad/messaging';
import { OrderingErrorCode } from '../error-codes.ts';
import type { CheckoutOrchestrator } from './checkout-port.ts';
import type { CancelledBy, Order } from './domain/index.ts';
import { CUSTOMER_CANCELLATION_REASON } from './order-lifecycle.ts';
import { executeOrderCommand, loadOrder } from './order-store.ts';

export interface CancelOrderParts {
  messaging: Messaging;
  orchestrator: CheckoutOrchestrator;
  clock: Clock;
}

/** Tries of one cancellation when the saga changes the order at the same moment. */
const ATTEMPTS = 3;

/**
 * A customer's (or an admin's) cancellation while checkout runs: the orchestrator aborts the saga
 * (undoing what it did, in reverse) and the order records the request; once everything is undone the
 * saga's `onCompensated` hook ends the order cancelled. Refused (409) once the order was approved or
 * rejected, or once checkout passed the point of no return. Asking again answers the same.
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
      if (!isConcurrencyError(error) || attempt >= ATTEMPTS) throw error;
    }
  }
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
