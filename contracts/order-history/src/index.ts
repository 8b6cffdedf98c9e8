/**
 * The order-history service's published contract: "my orders" and one order's summary, as the read
 * model built from ordering's, payment's and shipping's events answers them.
 */
import { z } from 'zod';
import { MoneySchema, ShippingAddressSchema, ShippingOptionSchema } from '@talad/contracts-common';
import {
  OrderLineSchema,
  OrderRejectionReasonSchema,
  OrderStatusSchema,
  OrderTotalsSchema,
} from '@talad/contracts-ordering';
import { DeclineReasonSchema, PaySlipSchema, PaymentStateSchema } from '@talad/contracts-payment';
import { ShipmentStatusSchema } from '@talad/contracts-shipping';

/**
 * Where an order stands as the customer reads it, shipping included (ordering's own `status` stops at
 * approved); the last three are final.
 */
export const ORDER_STAGES = [
  'pending',
  'awaiting_payment',
  'approved',
  'shipped',
  'delivered',
  'rejected',
  'cancelled',
] as const;
export const OrderStageSchema = z.enum(ORDER_STAGES);
export type OrderStage = z.infer<typeof OrderStageSchema>;

/** The facts on an order's timeline, each shown once, at the time it first happened. */
export const TIMELINE_STEPS = [
  'placed',
  'payment_pending',
  'payment_authorized',
  'paid',
  'payment_declined',
  'payment_expired',
  'payment_voided',
  'payment_refunded',
  'approved',
  'rejected',
  'cancelled',
  'shipment_created',
  'dispatched',
  'in_transit',
  'delivered',
  'shipment_cancelled',
] as const;
export const TimelineStepSchema = z.enum(TIMELINE_STEPS);
export type TimelineStep = z.infer<typeof TimelineStepSchema>;

export const TimelineEntrySchema = z.object({ step: TimelineStepSchema, at: z.iso.datetime() });
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export const OrderHistoryPaymentSchema = z
  .object({
    paymentId: z.uuid(),
    method: z.enum(['card', 'counter']),
    state: PaymentStateSchema,
    amount: MoneySchema,
    card: z.object({ brand: z.string(), last4: z.string() }).nullable().describe('The receipt of a card payment'),
    slip: PaySlipSchema.nullable().describe('The pay slip of a counter payment'),
    reason: DeclineReasonSchema.nullable(),
    updatedAt: z.iso.datetime(),
  })
  .describe("The order's payment as payment last announced it");
export type OrderHistoryPayment = z.infer<typeof OrderHistoryPaymentSchema>;

export const OrderHistoryShipmentSchema = z.object({
  shipmentId: z.uuid(),
  trackingNumber: z.string(),
  courier: z.string(),
  option: ShippingOptionSchema,
  status: ShipmentStatusSchema,
  updatedAt: z.iso.datetime(),
});
export type OrderHistoryShipment = z.infer<typeof OrderHistoryShipmentSchema>;

export const OrderSummarySchema = z.object({
  orderId: z.uuid(),
  customerId: z.uuid(),
  status: OrderStatusSchema.describe("The order's status as ordering's events say"),
  stage: OrderStageSchema,
  rejectionReason: OrderRejectionReasonSchema.nullable(),
  lines: z.array(OrderLineSchema),
  totals: OrderTotalsSchema,
  shippingAddress: ShippingAddressSchema,
  shippingOption: ShippingOptionSchema,
  payment: OrderHistoryPaymentSchema.nullable(),
  shipment: OrderHistoryShipmentSchema.nullable(),
  timeline: z.array(TimelineEntrySchema).describe('Oldest first'),
  placedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type OrderSummary = z.infer<typeof OrderSummarySchema>;

/** One line of "my orders". */
export const OrderHistoryItemSchema = OrderSummarySchema.pick({
  orderId: true,
  status: true,
  stage: true,
  totals: true,
  placedAt: true,
  updatedAt: true,
}).extend({ itemCount: z.int().nonnegative() });
export type OrderHistoryItem = z.infer<typeof OrderHistoryItemSchema>;

const WHOLE_NUMBER = /^\d{1,6}$/;
const pageNumber = (max: number, fallback: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && WHOLE_NUMBER.test(value) ? Number(value) : value),
    z.int().min(1).max(max).default(fallback),
  );

/** `GET /api/order-history`: the caller's orders, newest first. */
export const OrderHistoryQuerySchema = z.strictObject({
  page: pageNumber(10_000, 1).describe('1-based page number'),
  pageSize: pageNumber(100, 20).describe('Orders per page, at most 100'),
});

export const OrderHistoryPageSchema = z.object({
  items: z.array(OrderHistoryItemSchema),
  page: z.int().min(1),
  pageSize: z.int().min(1),
  total: z.int().nonnegative(),
});
export type OrderHistoryPage = z.infer<typeof OrderHistoryPageSchema>;

export const OrderHistoryParamsSchema = z.strictObject({ orderId: z.uuid() });

/** `POST /admin/rebuild`: the model rebuilt from the received events, compared with the live one. */
export const RebuildReportSchema = z.object({
  events: z.int().nonnegative().describe('Received events replayed'),
  orders: z.int().nonnegative().describe('Orders in the rebuilt model'),
  equal: z.boolean().describe('Whether the rebuilt model equals the live one, at the same snapshot'),
  differingOrders: z.array(z.uuid()).describe('Orders whose live summary differed (repaired), at most 100'),
  repaired: z.int().nonnegative(),
});
export type RebuildReport = z.infer<typeof RebuildReportSchema>;
