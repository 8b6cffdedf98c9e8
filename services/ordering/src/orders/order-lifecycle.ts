import { OrderApproved, OrderCancelled, OrderDelivered, OrderRejected, OrderShipped } from '@talad/contracts-ordering';
import type { PaySlip } from '@talad/contracts-payment';
import type { Messaging } from '@talad/messaging';
import type { PoolClient } from '@talad/pg';
import type { OrderCancellationReason } from '@talad/contracts-ordering';
import type { CancelledBy, Order, OrderCommand, OrderRejectionReason } from './domain/index.ts';
import { executeOrderCommand, loadOrder, type CommandOutcome } from './order-store.ts';

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
  /**
   * The saga was aborted at someone's request and compensated, or the system called the order off
   * (`reason`): the order is cancelled (`ordering.OrderCancelled`).
   */
  cancelOrder(
    tx: PoolClient,
    orderId: string,
    at: Date,
    cancelledBy?: CancelledBy,
    reason?: OrderCancellationReason,
  ): Promise<void>;
  /**
   * For `onCompensated`: cancels the order when a cancellation was requested (by the customer through
   * `POST /orders/:id/cancel`); cancels it as the system when its pay slip expired unpaid (the customer
   * did not go on with it: nothing the shop refused); else rejects it for `reason`.
   */
  closeCompensatedOrder(tx: PoolClient, orderId: string, reason: OrderRejectionReason, at: Date): Promise<void>;
  /**
   * The cancellation saga of an approved order could not stop the shipment: the order stays approved and
   * shows the request refused with `reason`. Not published (nothing changed for anyone else).
   */
  refuseCancellation(tx: PoolClient, orderId: string, reason: string, at: Date): Promise<void>;
  /** Shipping dispatched the parcel (`ordering.OrderShipped`). */
  recordShipped(tx: PoolClient, orderId: string, trackingNumber: string, at: Date): Promise<void>;
  /** The parcel reached the customer (`ordering.OrderDelivered`, after `OrderShipped` if that was never heard). */
  recordDelivered(tx: PoolClient, orderId: string, trackingNumber: string, at: Date): Promise<void>;
  /** Pay at counter: the order shows the slip to pay (payment announces it). Not published. */
  recordPaySlip(tx: PoolClient, orderId: string, slip: PaySlip, at: Date): Promise<void>;
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

  /** Announces each fulfilment event a command recorded, in its order. */
  const publishFulfilment = async (tx: PoolClient, outcome: CommandOutcome) => {
    const order = outcome.after as Order;
    for (const event of outcome.events) {
      if (event.type === 'OrderShipped') {
        const { trackingNumber, shippedAt } = event.data;
        const data = { orderId: order.orderId, customerId: order.customerId, trackingNumber, shippedAt };
        await publisher.publish(tx, OrderShipped, data, { key: order.orderId });
      } else if (event.type === 'OrderDelivered') {
        const data = { orderId: order.orderId, customerId: order.customerId, deliveredAt: event.data.deliveredAt };
        await publisher.publish(tx, OrderDelivered, data, { key: order.orderId });
      }
    }
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

    async cancelOrder(tx, orderId, at, cancelledBy, reason) {
      const cancelledAt = at.toISOString();
      const requested = cancelledBy ? null : (await loadOrder(tx, orderId)).state;
      const by = cancelledBy ?? requested?.cancellation?.by ?? requested?.cancellationRequested?.by ?? 'customer';
      const { order, changed } = await run(tx, orderId, {
        type: 'CancelOrder',
        by,
        at: cancelledAt,
        ...(reason ? { reason } : {}),
      });
      if (!changed) return;
      await publisher.publish(
        tx,
        OrderCancelled,
        { orderId, customerId: order.customerId, cancelledBy: by, cancelledAt, ...(reason ? { reason } : {}) },
        { key: orderId },
      );
    },

    async closeCompensatedOrder(tx, orderId, reason, at) {
      const { state } = await loadOrder(tx, orderId);
      if (state?.cancellationRequested) await lifecycle.cancelOrder(tx, orderId, at, state.cancellationRequested.by);
      else if (reason === 'PAYMENT_EXPIRED') await lifecycle.cancelOrder(tx, orderId, at, 'system', reason);
      else await lifecycle.rejectOrder(tx, orderId, reason, at);
    },

    async refuseCancellation(tx, orderId, reason, at) {
      await run(tx, orderId, { type: 'RefuseCancellation', reason, at: at.toISOString() });
    },

    async recordShipped(tx, orderId, trackingNumber, at) {
      const outcome = await executeOrderCommand(tx, orderId, {
        type: 'RecordShipment',
        trackingNumber,
        at: at.toISOString(),
      });
      await publishFulfilment(tx, outcome);
    },

    async recordDelivered(tx, orderId, trackingNumber, at) {
      const outcome = await executeOrderCommand(tx, orderId, {
        type: 'RecordDelivery',
        trackingNumber,
        at: at.toISOString(),
      });
      await publishFulfilment(tx, outcome);
    },

    async recordPaySlip(tx, orderId, slip, at) {
      await run(tx, orderId, { type: 'RecordPaySlip', slip, at: at.toISOString() });
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
