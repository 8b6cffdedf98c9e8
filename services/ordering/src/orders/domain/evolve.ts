import { assertNever } from '@talad/core';
import type { OrderEvent, OrderState } from './order.ts';

/** The order after one more event. Events are facts: this never refuses one. */
export function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const { placedAt, ...details } = event.data;
    return {
      ...details,
      status: 'pending',
      payment: { brand: null, last4: null },
      rejectionReason: null,
      cancellationRequested: null,
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
    case 'OrderCancelled':
      return { ...state, status: 'cancelled', updatedAt: event.data.cancelledAt };
    default:
      return assertNever(event);
  }
}

/** The state a stream's events add up to. */
export function fold(events: readonly OrderEvent[], state: OrderState = null): OrderState {
  return events.reduce(evolve, state);
}
