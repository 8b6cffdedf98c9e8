import type { OrderView } from '@talad/contracts-ordering';
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
    payment: { method: order.paymentMethod, brand: order.payment.brand, last4: order.payment.last4 },
    placedAt: order.placedAt,
    updatedAt: order.updatedAt,
    version,
    checkout: { steps: (saga?.steps ?? []).map((step) => ({ name: step.name, state: step.state })) },
  };
}
