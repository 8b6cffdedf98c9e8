import type { OrderCancellation, OrderView } from '@talad/contracts-ordering';
import type { SagaInstanceView } from './checkout-port.ts';
import type { Order } from './domain/index.ts';

/** The published view of an order: the aggregate's state with the checkout saga's progress beside it. */
export function toOrderView(order: Order, version: number, saga: SagaInstanceView | null | undefined): OrderView {
  return {
    id: order.orderId,
    customerId: order.customerId,
    status: order.status,
    rejectionReason: order.rejectionReason,
    lines: [...order.lines],
    totals: order.totals,
    shippingAddress: order.shippingAddress,
    shippingOption: order.shippingOption,
    payment: {
      method: order.paymentMethod,
      brand: order.payment.brand,
      last4: order.payment.last4,
      slip: order.payment.slip ?? null,
    },
    placedAt: order.placedAt,
    updatedAt: order.updatedAt,
    version,
    checkout: { steps: (saga?.steps ?? []).map((step) => ({ name: step.name, state: step.state })) },
    fulfilment: order.fulfilment ? { ...order.fulfilment } : null,
    cancellation: cancellationOf(order),
  };
}

/**
 * The last request to cancel, whichever way it went: before approval (checkout aborted) or after
 * (the cancellation saga); or the system's own call-off, with its reason (a slip that expired unpaid).
 */
function cancellationOf(order: Order): OrderCancellation | null {
  const done = order.status === 'cancelled';
  const after = order.cancellation;
  if (after) {
    return {
      state: done ? 'completed' : after.state === 'refused' ? 'refused' : 'requested',
      requestedBy: after.by,
      requestedAt: after.at,
      reason: after.reason,
    };
  }
  const before = order.cancellationRequested;
  if (!before) return null;
  return {
    state: done ? 'completed' : 'requested',
    requestedBy: before.by,
    requestedAt: before.at,
    reason: before.reason ?? null,
  };
}
