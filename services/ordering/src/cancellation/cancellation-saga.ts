import type { Clock } from '@talad/core';
import { ReturnStock, StockReturned } from '@talad/contracts-inventory';
import { PaymentRefunded, RefundPayment } from '@talad/contracts-payment';
import {
  CancelShipment,
  ShipmentCancellationRefused,
  ShipmentCancelled,
  type ShipmentStatus,
} from '@talad/contracts-shipping';
import { defineSaga, step, type SagaDefinition } from '@talad/saga';
import { CANCELLATION_SAGA, type CancellationStartData, type OrderLifecycle } from '../orders/index.ts';

/** The saga's data: what its commands and hooks need. */
export type CancellationData = CancellationStartData;

/** How the cancellation saga changes the order, in the transaction of the transition that decides it. */
export type CancellationOutcomes = Pick<OrderLifecycle, 'cancelOrder' | 'refuseCancellation'>;

export interface CancellationTimings {
  /** How long a command waits for its reply before it is sent again. */
  stepDeadlineMs: number;
}

export const DEFAULT_CANCELLATION_TIMINGS: CancellationTimings = { stepDeadlineMs: 30_000 };

/** Why a cancellation was refused, from the shipment's status: `SHIPMENT_DISPATCHED`, `SHIPMENT_IN_TRANSIT`, … */
export function refusalReason(status: ShipmentStatus): string {
  return `SHIPMENT_${status.toUpperCase()}`;
}

const aboutOrder = (data: CancellationData) => ({ orderId: data.orderId });
const byOrder = (data: CancellationData) => data.orderId;

/**
 * The cancellation of an approved order, before its parcel leaves: stop the shipment, then refund the
 * captured payment and put the committed stock back on hand; the order ends cancelled
 * (`ordering.OrderCancelled`). Stopping the shipment is the decision, so it comes first and is the
 * pivot: if shipping refuses (already dispatched), nothing was done and the order stays approved with the
 * request refused; once shipping agreed, the refund and the return are resent until done.
 *
 * Every step is `retryUntilDone`: a command that got no answer in time is sent again, never given up on,
 * because a `CancelShipment` that arrived late could still stop a parcel of an order left approved and
 * paid. Participants answer each command idempotently per order (see the contracts).
 *
 * @example
 * const cancellation = cancellationSaga({ orders: createOrderLifecycle({ publisher: messaging }), clock });
 * createSagaOrchestrator({ ..., definitions: [checkout, cancellation] });
 */
export function cancellationSaga(options: {
  orders: CancellationOutcomes;
  clock: Clock;
  timings?: Partial<CancellationTimings>;
}): SagaDefinition<CancellationData> {
  const { orders, clock } = options;
  const { stepDeadlineMs: deadlineMs } = { ...DEFAULT_CANCELLATION_TIMINGS, ...options.timings };
  return defineSaga<CancellationData>({
    name: CANCELLATION_SAGA,
    version: 1,
    steps: [
      step({
        name: 'cancelShipment',
        command: CancelShipment,
        request: aboutOrder,
        key: byOrder,
        success: [ShipmentCancelled],
        failure: [ShipmentCancellationRefused],
        onFailure: (_data, reply) => ({ reason: refusalReason(reply.data.status) }),
        deadlineMs,
        retryUntilDone: true,
      }),
      step({
        name: 'refundPayment',
        command: RefundPayment,
        request: aboutOrder,
        key: byOrder,
        success: [PaymentRefunded],
        deadlineMs,
        retryUntilDone: true,
      }),
      step({
        name: 'returnStock',
        command: ReturnStock,
        request: aboutOrder,
        key: byOrder,
        success: [StockReturned],
        deadlineMs,
        retryUntilDone: true,
      }),
    ],
    onCompleted: (tx, { data }) => orders.cancelOrder(tx, data.orderId, clock.now(), data.requestedBy),
    // Only a refusal of the first step ends here: nothing was done, so nothing needed undoing.
    onCompensated: (tx, { data, reason }) => orders.refuseCancellation(tx, data.orderId, reason, clock.now()),
  });
}
