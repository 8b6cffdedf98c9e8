import type { Clock } from '@talad/core';
import { CustomerVerificationFailed, CustomerVerified, VerifyCustomer } from '@talad/contracts-identity';
import {
  CommitReservation,
  ReleaseStock,
  ReservationCommitFailed,
  ReservationCommitted,
  ReserveStock,
  StockReleased,
  StockReservationFailed,
  StockReserved,
} from '@talad/contracts-inventory';
import {
  AuthorizePayment,
  CapturePayment,
  PaymentAuthorized,
  PaymentCaptured,
  PaymentCompleted,
  PaymentDeclined,
  PaymentExpired,
  PaymentPending,
  PaymentVoided,
  VoidPayment,
} from '@talad/contracts-payment';
import { defineSaga, step, type SagaDefinition } from '@talad/saga';
import {
  CHECKOUT_SAGA,
  CUSTOMER_CANCELLATION_REASON,
  type CheckoutStartData,
  type OrderLifecycle,
} from '../orders/index.ts';
import { rejectionReasonOf } from './rejection-reason.ts';

/** What checkout carries from step to step: what its commands need, and what the card authorization told. */
export interface CheckoutData extends CheckoutStartData {
  readonly payment?: { readonly paymentId: string; readonly brand: string; readonly last4: string };
}

/** How checkout changes the order: in the transaction of the transition that decides it. */
export type OrderOutcomes = Pick<
  OrderLifecycle,
  'approveOrder' | 'cancelOrder' | 'closeCompensatedOrder' | 'recordPaymentAuthorized' | 'recordPaySlip'
>;

/** Why checkout compensates when a counter slip expired unpaid: the order then ends cancelled by the system. */
export const PAYMENT_EXPIRED = 'PAYMENT_EXPIRED';

export interface CheckoutTimings {
  /** How long a step (or a compensation) waits for its reply. */
  stepDeadlineMs: number;
  /** Card authorization goes to an outside provider, which payment retries: it gets longer. */
  paymentDeadlineMs: number;
  /**
   * How long inventory holds the stock if nobody commits or releases it: far longer than checkout takes,
   * so it only frees stock of a checkout that was lost.
   */
  reservationTtlMs: number;
}

export const DEFAULT_CHECKOUT_TIMINGS: CheckoutTimings = {
  stepDeadlineMs: 30_000,
  paymentDeadlineMs: 60_000,
  reservationTtlMs: 15 * 60_000,
};

const byOrder = (data: CheckoutData): string => data.orderId;
const aboutOrder = (data: CheckoutData) => ({ orderId: data.orderId });

/**
 * The checkout saga: verify the customer, reserve the stock (released if a later step fails), authorize
 * the card (voided if a later step fails) or, paid at a counter, issue a slip and wait, for days if need
 * be, until it is paid (or expires: the stock is released and the order cancelled); then, past the pivot,
 * commit the reservation and capture the payment, each resent until done. It ends with the order
 * approved, or rejected (cancelled, when the customer asked or the slip expired) once what was done is
 * undone. The saga id is the order id.
 *
 * @example
 * const checkout = checkoutSaga({ orders, clock });
 * const orchestrator = createSagaOrchestrator({ pool, messaging, clock, logger, definitions: [checkout] });
 */
export function checkoutSaga(options: {
  orders: OrderOutcomes;
  clock: Clock;
  timings?: Partial<CheckoutTimings>;
}): SagaDefinition<CheckoutData> {
  const { orders, clock } = options;
  const timings = { ...DEFAULT_CHECKOUT_TIMINGS, ...options.timings };
  const deadlineMs = timings.stepDeadlineMs;
  return defineSaga<CheckoutData>({
    name: CHECKOUT_SAGA,
    version: 1,
    steps: [
      step({
        name: 'verifyCustomer',
        command: VerifyCustomer,
        request: (data: CheckoutData) => ({ customerId: data.customerId }),
        key: byOrder,
        success: [CustomerVerified],
        failure: [CustomerVerificationFailed],
        deadlineMs,
      }),
      step({
        name: 'reserveStock',
        command: ReserveStock,
        request: (data: CheckoutData, { now }) => ({
          orderId: data.orderId,
          lines: data.lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
          expiresAt: new Date(now.getTime() + timings.reservationTtlMs).toISOString(),
        }),
        key: byOrder,
        success: [StockReserved],
        failure: [StockReservationFailed],
        deadlineMs,
        compensation: { command: ReleaseStock, request: aboutOrder, success: [StockReleased] },
      }),
      step({
        name: 'authorizePayment',
        command: AuthorizePayment,
        request: (data: CheckoutData) => ({
          orderId: data.orderId,
          customerId: data.customerId,
          amount: data.total,
          method: data.paymentMethod,
        }),
        key: byOrder,
        success: [PaymentAuthorized],
        onSuccess: (data, reply) => ({
          ...data,
          payment: { paymentId: reply.data.paymentId, brand: reply.data.brand, last4: reply.data.last4 },
        }),
        afterSuccess: (tx, { sagaId, reply }) =>
          orders.recordPaymentAuthorized(tx, sagaId, { brand: reply.data.brand, last4: reply.data.last4 }, clock.now()),
        failure: [PaymentDeclined],
        // Pay at counter: a slip is issued, and the step waits for the customer to pay it at a counter.
        pending: [PaymentPending],
        afterPending: (tx, { sagaId, reply }) => orders.recordPaySlip(tx, sagaId, reply.data.slip, clock.now()),
        awaitEvent: {
          success: [PaymentCompleted],
          failure: [PaymentExpired],
          correlate: (event) => event.data.orderId,
          onFailure: () => ({ reason: PAYMENT_EXPIRED }),
          // No deadline of its own: payment expires the slip and says so.
        },
        deadlineMs: timings.paymentDeadlineMs,
        compensation: { command: VoidPayment, request: aboutOrder, success: [PaymentVoided], deadlineMs },
      }),
      // The pivot: the card is authorized and the stock held; from here checkout only moves forward.
      step({
        name: 'commitReservation',
        command: CommitReservation,
        request: aboutOrder,
        key: byOrder,
        success: [ReservationCommitted],
        // The reservation expired and its stock went back on sale: the order cannot be honoured, so the
        // authorization is voided (and the reservation's release answers "nothing to undo").
        failure: [ReservationCommitFailed],
        deadlineMs,
        retryUntilDone: true,
      }),
      step({
        name: 'capturePayment',
        command: CapturePayment,
        request: aboutOrder,
        key: byOrder,
        success: [PaymentCaptured],
        deadlineMs: timings.paymentDeadlineMs,
        retryUntilDone: true,
      }),
    ],
    onCompleted: (tx, { sagaId }) => orders.approveOrder(tx, sagaId, clock.now()),
    onCompensated: (tx, { sagaId, reason }) =>
      reason === CUSTOMER_CANCELLATION_REASON
        ? orders.cancelOrder(tx, sagaId, clock.now())
        : orders.closeCompensatedOrder(tx, sagaId, rejectionReasonOf(reason), clock.now()),
  });
}
