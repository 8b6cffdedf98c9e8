import { OrderApproved, OrderCancelled, OrderRejected } from '@talad/contracts-ordering';
import type { Messaging } from '@talad/messaging';
import type { PoolClient } from '@talad/pg';
import type { CancelledBy, Order, OrderCommand, OrderRejectionReason } from './domain/index.ts';
import { executeOrderCommand, loadOrder } from './order-store.ts';

/**
 * The reason ordering gives the checkout orchestrator's `abort` when a customer cancels: the saga's
 * `onCompensated` hook then ends the order cancelled rather than rejected (`closeCompensatedOrder` does
 * that choice itself, from the order's own record of the request).
 */
export const CUSTOMER_CANCELLATION_REASON = 'CANCELLED_BY_CUSTOMER';

/**
 * How the checkout saga changes an order: each call runs in the caller's transaction (the saga hook's),
 * loads the order's stream, decides, appends at the version it read and publishes the matching
 * `ordering.*` event through the outbox, so the saga's transition, the order's events and the
 * announcement commit together. Repeating a call that already took effect changes and publishes nothing.
 */
export interface OrderLifecycle {
  /** The saga completed: the order is approved (`ordering.OrderApproved`). */
  approveOrder(tx: PoolClient, orderId: string, at: Date): Promise<void>;
  /** The saga failed and was compensated: the order is rejected (`ordering.OrderRejected`). */
  rejectOrder(tx: PoolClient, orderId: string, reason: OrderRejectionReason, at: Date): Promise<void>;
  /** The saga was aborted at someone's request and compensated: the order is cancelled (`ordering.OrderCancelled`). */
  cancelOrder(tx: PoolClient, orderId: string, at: Date, cancelledBy?: CancelledBy): Promise<void>;
  /**
   * For `onCompensated`: cancels the order when a cancellation was requested (by the customer through
   * `POST /orders/:id/cancel`), else rejects it for `reason`.
   */
  closeCompensatedOrder(tx: PoolClient, orderId: string, reason: OrderRejectionReason, at: Date): Promise<void>;
  /** The card was authorized: the order shows the card's brand and last four digits. Not published. */
  recordPaymentAuthorized(
    tx: PoolClient,
    orderId: string,
    card: { readonly brand: string; readonly last4: string },
    at: Date,
  ): Promise<void>;
}

export interface OrderLifecycleOptions {
  /** Ordering's messaging (its outbox); the events go out with the transaction that records them. */
  publisher: Pick<Messaging, 'publish'>;
}

/**
 * @example
 * const orders = createOrderLifecycle({ publisher: messaging });
 * // in the checkout saga's onCompleted hook:
 * await orders.approveOrder(tx, sagaId, clock.now());
 */
export function createOrderLifecycle({ publisher }: OrderLifecycleOptions): OrderLifecycle {
  const run = async (tx: PoolClient, orderId: string, command: OrderCommand) => {
    const outcome = await executeOrderCommand(tx, orderId, command);
    return { order: outcome.after as Order, changed: outcome.events.length > 0 };
  };

  const lifecycle: OrderLifecycle = {
    async approveOrder(tx, orderId, at) {
      const approvedAt = at.toISOString();
      const { order, changed } = await run(tx, orderId, { type: 'ApproveOrder', at: approvedAt });
      if (!changed) return;
      await publisher.publish(
        tx,
        OrderApproved,
        {
          orderId,
          customerId: order.customerId,
          lines: [...order.lines],
          totals: order.totals,
          shippingAddress: order.shippingAddress,
          shippingOption: order.shippingOption,
          approvedAt,
        },
        { key: orderId },
      );
    },

    async rejectOrder(tx, orderId, reason, at) {
      const rejectedAt = at.toISOString();
      const { order, changed } = await run(tx, orderId, { type: 'RejectOrder', reason, at: rejectedAt });
      if (!changed) return;
      await publisher.publish(
        tx,
        OrderRejected,
        { orderId, customerId: order.customerId, reason, rejectedAt },
        { key: orderId },
      );
    },

    async cancelOrder(tx, orderId, at, cancelledBy) {
      const cancelledAt = at.toISOString();
      const by = cancelledBy ?? (await loadOrder(tx, orderId)).state?.cancellationRequested?.by ?? 'customer';
      const { order, changed } = await run(tx, orderId, { type: 'CancelOrder', by, at: cancelledAt });
      if (!changed) return;
      await publisher.publish(
        tx,
        OrderCancelled,
        { orderId, customerId: order.customerId, cancelledBy: by, cancelledAt },
        { key: orderId },
      );
    },

    async closeCompensatedOrder(tx, orderId, reason, at) {
      const { state } = await loadOrder(tx, orderId);
      if (state?.cancellationRequested) await lifecycle.cancelOrder(tx, orderId, at, state.cancellationRequested.by);
      else await lifecycle.rejectOrder(tx, orderId, reason, at);
    },

    async recordPaymentAuthorized(tx, orderId, card, at) {
      await run(tx, orderId, {
        type: 'RecordPaymentAuthorization',
        brand: card.brand,
        last4: card.last4,
        at: at.toISOString(),
      });
    },
  };
  return lifecycle;
}
