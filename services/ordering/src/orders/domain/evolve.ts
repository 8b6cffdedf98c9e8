import { assertNever } from '@talad/core';
import type { OrderEvent, OrderState } from './order.ts';

/** The order after one more event. Events are facts: this never refuses one. */
export function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const { placedAt, ...details } = event.data;
    return {
      ...details,
      status: 'pending',
      payment: { brand: null, last4: null, slip: null },
      rejectionReason: null,
      cancellationRequested: null,
      cancellation: null,
      fulfilment: null,
      placedAt,
      updatedAt: placedAt,
    };
  }
  if (!state) return state;
  switch (event.type) {
    case 'PaymentAuthorized':
      return {
        ...state,
        payment: { brand: event.data.brand, last4: event.data.last4 },
        updatedAt: event.data.authorizedAt,
      };
    case 'PaySlipIssued':
      return { ...state, payment: { ...state.payment, slip: event.data.slip }, updatedAt: event.data.issuedAt };
    case 'CancellationRequested':
      return {
        ...state,
        cancellationRequested: { by: event.data.requestedBy, at: event.data.requestedAt },
        updatedAt: event.data.requestedAt,
      };
    case 'OrderApproved':
      return { ...state, status: 'approved', updatedAt: event.data.approvedAt };
    case 'OrderRejected':
      return { ...state, status: 'rejected', rejectionReason: event.data.reason, updatedAt: event.data.rejectedAt };
    case 'OrderCancelled': {
      const { cancelledBy, cancelledAt, reason } = event.data;
      return {
        ...state,
        status: 'cancelled',
        // The system's own call-off is recorded as its request, with why.
        ...(reason ? { cancellationRequested: { by: cancelledBy, at: cancelledAt, reason } } : {}),
        updatedAt: cancelledAt,
      };
    }
    case 'CancellationStarted':
      return {
        ...state,
        cancellation: {
          state: 'running',
          sagaId: event.data.sagaId,
          by: event.data.requestedBy,
          at: event.data.requestedAt,
          reason: null,
        },
        updatedAt: event.data.requestedAt,
      };
    case 'CancellationRefused':
      return state.cancellation
        ? {
            ...state,
            cancellation: { ...state.cancellation, state: 'refused', reason: event.data.reason },
            updatedAt: event.data.refusedAt,
          }
        : state;
    case 'OrderShipped':
      return {
        ...state,
        fulfilment: {
          status: 'shipped',
          trackingNumber: event.data.trackingNumber,
          shippedAt: event.data.shippedAt,
          deliveredAt: null,
        },
        updatedAt: event.data.shippedAt,
      };
    case 'OrderDelivered':
      return state.fulfilment
        ? {
            ...state,
            fulfilment: { ...state.fulfilment, status: 'delivered', deliveredAt: event.data.deliveredAt },
            updatedAt: event.data.deliveredAt,
          }
        : state;
    default:
      return assertNever(event);
  }
}

/** The state a stream's events add up to. */
export function fold(events: readonly OrderEvent[], state: OrderState = null): OrderState {
  return events.reduce(evolve, state);
}
