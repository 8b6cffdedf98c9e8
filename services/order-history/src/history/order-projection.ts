import type {
  OrderHistoryPayment,
  OrderHistoryShipment,
  OrderStage,
  OrderSummary,
  TimelineEntry,
  TimelineStep,
} from '@talad/contracts-order-history';
import { TIMELINE_STEPS } from '@talad/contracts-order-history';
import type { PaymentStateSchema } from '@talad/contracts-payment';
import type { ShipmentStatus } from '@talad/contracts-shipping';
import { assertNever } from '@talad/core';
import type { z } from 'zod';
import type { HistoryEvent, HistoryEventType } from './history-event.ts';

/*
 * The read model of one order as a pure function of the SET of its events: they are put in one
 * canonical order (business time, then a fixed rank per type, then event id) before they are folded,
 * and an event seen twice counts once. So any arrival order across topics, and any number of replays,
 * give the same summary: the property order-history's rebuild and its tests rely on.
 */

/** When two events carry the same time, the order in which they logically follow one another. */
const RANK: Record<HistoryEventType, number> = {
  'ordering.OrderPlaced.v1': 0,
  'payment.PaymentStatusChanged.v1': 1,
  'ordering.OrderApproved.v1': 2,
  'shipping.ShipmentStatusChanged.v1': 3,
  'ordering.OrderRejected.v1': 4,
  'ordering.OrderCancelled.v1': 4,
};

const PAYMENT_STEP: Record<z.infer<typeof PaymentStateSchema>, TimelineStep | null> = {
  pending: 'payment_pending',
  authorized: 'payment_authorized',
  declined: 'payment_declined',
  captured: 'paid',
  completed: 'paid',
  expired: 'payment_expired',
  voided: 'payment_voided',
  refunded: 'payment_refunded',
  closed: null,
};

const SHIPMENT_STEP: Record<ShipmentStatus, TimelineStep> = {
  created: 'shipment_created',
  dispatched: 'dispatched',
  in_transit: 'in_transit',
  delivered: 'delivered',
  cancelled: 'shipment_cancelled',
};

/** The events in the one order the projection folds them in, each id once. */
export function canonicalOrder(events: readonly HistoryEvent[]): HistoryEvent[] {
  const unique = new Map<string, HistoryEvent>();
  for (const event of events) unique.set(event.id, event);
  return [...unique.values()].sort(
    (a, b) => compare(a.occurredAt, b.occurredAt) || RANK[a.type] - RANK[b.type] || compare(a.id, b.id),
  );
}

/**
 * One order's summary from its events, or null while its `OrderPlaced` has not arrived (payment's or
 * shipping's events may come first; they are kept and folded in once it does).
 *
 * @example
 * const summary = projectOrder([placed, paymentCaptured, approved, dispatched]);
 * summary?.stage; // 'shipped'
 */
export function projectOrder(events: readonly HistoryEvent[]): OrderSummary | null {
  let placed: Extract<HistoryEvent, { type: 'ordering.OrderPlaced.v1' }>['data'] | undefined;
  let approved = false;
  let rejectionReason: OrderSummary['rejectionReason'] = null;
  let closedAs: 'rejected' | 'cancelled' | undefined;
  let payment: OrderHistoryPayment | null = null;
  let shipment: OrderHistoryShipment | null = null;
  const firstSeen = new Map<TimelineStep, string>();
  let updatedAt = '';

  const record = (step: TimelineStep | null, at: string): void => {
    if (step && !firstSeen.has(step)) firstSeen.set(step, at);
  };

  for (const event of canonicalOrder(events)) {
    updatedAt = event.occurredAt;
    switch (event.type) {
      case 'ordering.OrderPlaced.v1':
        placed = event.data;
        record('placed', event.occurredAt);
        break;
      case 'ordering.OrderApproved.v1':
        approved = true;
        record('approved', event.occurredAt);
        break;
      case 'ordering.OrderRejected.v1':
        closedAs = 'rejected';
        rejectionReason = event.data.reason;
        record('rejected', event.occurredAt);
        break;
      case 'ordering.OrderCancelled.v1':
        closedAs ??= 'cancelled';
        record('cancelled', event.occurredAt);
        break;
      case 'payment.PaymentStatusChanged.v1': {
        const { data } = event;
        // A counter payment waiting on its slip; a card payment is never shown as waiting.
        record(data.state === 'pending' && data.method === 'card' ? null : PAYMENT_STEP[data.state], event.occurredAt);
        payment = {
          paymentId: data.paymentId,
          method: data.method,
          state: data.state,
          amount: data.amount,
          card: data.card,
          slip: data.slip,
          reason: data.reason,
          updatedAt: event.occurredAt,
        };
        break;
      }
      case 'shipping.ShipmentStatusChanged.v1': {
        const { data } = event;
        record(SHIPMENT_STEP[data.status], event.occurredAt);
        shipment = {
          shipmentId: data.shipmentId,
          trackingNumber: data.trackingNumber,
          courier: data.courier,
          option: data.option,
          status: data.status,
          updatedAt: event.occurredAt,
        };
        break;
      }
      default:
        assertNever(event);
    }
  }
  if (!placed) return null;

  return {
    orderId: placed.orderId,
    customerId: placed.customerId,
    status: closedAs ?? (approved ? 'approved' : 'pending'),
    stage: stageOf({ closedAs, approved, payment, shipment }),
    rejectionReason,
    lines: placed.lines,
    totals: placed.totals,
    shippingAddress: placed.shippingAddress,
    shippingOption: placed.shippingOption,
    payment,
    shipment,
    timeline: timelineOf(firstSeen),
    placedAt: new Date(placed.placedAt).toISOString(),
    updatedAt,
  };
}

function stageOf(facts: {
  closedAs: 'rejected' | 'cancelled' | undefined;
  approved: boolean;
  payment: OrderHistoryPayment | null;
  shipment: OrderHistoryShipment | null;
}): OrderStage {
  if (facts.closedAs) return facts.closedAs;
  const shipped = facts.shipment?.status;
  if (shipped === 'delivered') return 'delivered';
  if (shipped === 'dispatched' || shipped === 'in_transit') return 'shipped';
  if (facts.approved) return 'approved';
  if (facts.payment?.method === 'counter' && facts.payment.state === 'pending') return 'awaiting_payment';
  return 'pending';
}

function timelineOf(firstSeen: ReadonlyMap<TimelineStep, string>): TimelineEntry[] {
  return [...firstSeen]
    .map(([step, at]) => ({ step, at }))
    .sort((a, b) => compare(a.at, b.at) || TIMELINE_STEPS.indexOf(a.step) - TIMELINE_STEPS.indexOf(b.step));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
