import { assertNever, DomainError } from '@talad/core';
import { OrderingErrorCode } from '../../error-codes.ts';
import type { Order, OrderCommand, OrderEvent, OrderState } from './order.ts';

/**
 * What happens when `command` meets the order as it is: the events to record, or a DomainError when the
 * order refuses. Repeating a command that already took effect records nothing, so the saga's hooks and
 * a customer's retried cancel are safe to run twice.
 */
export function decide(command: OrderCommand, state: OrderState): OrderEvent[] {
  if (command.type === 'PlaceOrder') {
    if (state) {
      throw new DomainError('conflict', OrderingErrorCode.OrderAlreadyPlaced, `order ${state.orderId} already exists`);
    }
    return [{ type: 'OrderPlaced', data: { ...command.order, placedAt: command.at } }];
  }
  if (!state) throw new DomainError('not-found', OrderingErrorCode.OrderNotFound, 'there is no such order');
  switch (command.type) {
    case 'RecordPaymentAuthorization':
      if (state.status !== 'pending') return [];
      if (state.payment.brand === command.brand && state.payment.last4 === command.last4) return [];
      return [
        { type: 'PaymentAuthorized', data: { brand: command.brand, last4: command.last4, authorizedAt: command.at } },
      ];
    case 'RecordPaySlip':
      if (state.status !== 'pending' || state.payment.slip) return [];
      return [{ type: 'PaySlipIssued', data: { slip: command.slip, issuedAt: command.at } }];
    case 'RequestCancellation':
      if (state.status === 'cancelled' || state.cancellationRequested) return [];
      if (state.status !== 'pending') throw notCancellable(state);
      return [{ type: 'CancellationRequested', data: { requestedBy: command.by, requestedAt: command.at } }];
    case 'ApproveOrder':
      if (state.status === 'approved') return [];
      requirePending(state, 'approved');
      return [{ type: 'OrderApproved', data: { approvedAt: command.at } }];
    case 'RejectOrder':
      if (state.status === 'rejected') return [];
      requirePending(state, 'rejected');
      return [{ type: 'OrderRejected', data: { reason: command.reason, rejectedAt: command.at } }];
    case 'CancelOrder':
      if (state.status === 'cancelled') return [];
      // Pending: checkout was undone. Approved: only by the cancellation saga, once it undid everything.
      if (state.status !== 'pending' && !(state.status === 'approved' && state.cancellation?.state === 'running')) {
        throw notCancellable(state);
      }
      return [
        {
          type: 'OrderCancelled',
          data: {
            cancelledBy: command.by,
            cancelledAt: command.at,
            ...(command.reason ? { reason: command.reason } : {}),
          },
        },
      ];
    case 'StartCancellation':
      if (state.status === 'cancelled' || state.cancellation?.state === 'running') return [];
      if (state.status !== 'approved') throw notCancellable(state);
      if (state.fulfilment) throw alreadyDispatched(state);
      return [
        {
          type: 'CancellationStarted',
          data: { sagaId: command.sagaId, requestedBy: command.by, requestedAt: command.at },
        },
      ];
    case 'RefuseCancellation':
      if (state.status !== 'approved' || state.cancellation?.state !== 'running') return [];
      return [{ type: 'CancellationRefused', data: { reason: command.reason, refusedAt: command.at } }];
    case 'RecordShipment':
      // Shipping ships approved orders only; news about any other (or told twice) changes nothing.
      if (state.status !== 'approved' || state.fulfilment) return [];
      return [{ type: 'OrderShipped', data: { trackingNumber: command.trackingNumber, shippedAt: command.at } }];
    case 'RecordDelivery': {
      if (state.status !== 'approved' || state.fulfilment?.status === 'delivered') return [];
      const delivered: OrderEvent = { type: 'OrderDelivered', data: { deliveredAt: command.at } };
      // Delivered without a dispatch heard (it was lost or skipped): it certainly shipped, by then at the latest.
      if (state.fulfilment) return [delivered];
      return [
        { type: 'OrderShipped', data: { trackingNumber: command.trackingNumber, shippedAt: command.at } },
        delivered,
      ];
    }
    default:
      return assertNever(command);
  }
}

function requirePending(order: Order, outcome: string): void {
  if (order.status !== 'pending') {
    throw new DomainError(
      'conflict',
      OrderingErrorCode.OrderNotPending,
      `order ${order.orderId} is ${order.status}; only a pending order can be ${outcome}`,
    );
  }
}

function alreadyDispatched(order: Order): DomainError {
  return new DomainError(
    'conflict',
    OrderingErrorCode.OrderAlreadyDispatched,
    `order ${order.orderId} can no longer be cancelled: its parcel was dispatched (tracking number ${order.fulfilment?.trackingNumber ?? 'unknown'})`,
  );
}

function notCancellable(order: Order): DomainError {
  return new DomainError(
    'conflict',
    OrderingErrorCode.OrderNotCancellable,
    `order ${order.orderId} is ${order.status} and can no longer be cancelled`,
  );
}
