import { OrderApproved, OrderCancelled, OrderPlaced, OrderRejected } from '@talad/contracts-ordering';
import { PaymentStatusChanged } from '@talad/contracts-payment';
import { ShipmentStatusChanged } from '@talad/contracts-shipping';
import { assertNever } from '@talad/core';
import type { MessageData, ReceivedMessage } from '@talad/messaging';

/** Every message the read model is built from: ordering's, payment's and shipping's events. */
export const HISTORY_MESSAGES = [
  OrderPlaced,
  OrderApproved,
  OrderRejected,
  OrderCancelled,
  PaymentStatusChanged,
  ShipmentStatusChanged,
] as const;

type HistoryMessage = ReceivedMessage<(typeof HISTORY_MESSAGES)[number]>;

/**
 * One received event as the projection reads it: its id (what makes a replay a no-op), the order it is
 * about, when it happened in its producer's words, and its data.
 */
export type HistoryEvent =
  | Fact<'ordering.OrderPlaced.v1', MessageData<typeof OrderPlaced>>
  | Fact<'ordering.OrderApproved.v1', MessageData<typeof OrderApproved>>
  | Fact<'ordering.OrderRejected.v1', MessageData<typeof OrderRejected>>
  | Fact<'ordering.OrderCancelled.v1', MessageData<typeof OrderCancelled>>
  | Fact<'payment.PaymentStatusChanged.v1', MessageData<typeof PaymentStatusChanged>>
  | Fact<'shipping.ShipmentStatusChanged.v1', MessageData<typeof ShipmentStatusChanged>>;

interface Fact<Type extends string, Data> {
  readonly id: string;
  readonly type: Type;
  readonly orderId: string;
  /** ISO time, normalised to milliseconds and `Z`, so that strings order as times do. */
  readonly occurredAt: string;
  readonly data: Data;
}

export type HistoryEventType = HistoryEvent['type'];

/** The event of a received message, with the business time its data states. */
export function historyEventOf(message: HistoryMessage): HistoryEvent {
  const base = { id: message.id, orderId: message.data.orderId };
  switch (message.type) {
    case 'ordering.OrderPlaced.v1':
      return { ...base, type: message.type, occurredAt: iso(message.data.placedAt), data: message.data };
    case 'ordering.OrderApproved.v1':
      return { ...base, type: message.type, occurredAt: iso(message.data.approvedAt), data: message.data };
    case 'ordering.OrderRejected.v1':
      return { ...base, type: message.type, occurredAt: iso(message.data.rejectedAt), data: message.data };
    case 'ordering.OrderCancelled.v1':
      return { ...base, type: message.type, occurredAt: iso(message.data.cancelledAt), data: message.data };
    case 'payment.PaymentStatusChanged.v1':
      return { ...base, type: message.type, occurredAt: iso(message.data.changedAt), data: message.data };
    case 'shipping.ShipmentStatusChanged.v1':
      return { ...base, type: message.type, occurredAt: iso(message.data.changedAt), data: message.data };
    default:
      return assertNever(message);
  }
}

/** `2026-01-01T00:00:00Z` and `2026-01-01T00:00:00.000Z` are one time; stored and compared in one form. */
export function iso(time: string | Date): string {
  return new Date(time).toISOString();
}
