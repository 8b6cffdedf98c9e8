/**
 * The ordering service's published contract: the order events others follow (basket empties on
 * `OrderPlaced`, shipping ships on `OrderApproved`, order-history builds its read model from all of
 * them) and the HTTP schemas of placing, reading and cancelling an order.
 */
import { z } from 'zod';
import { defineMessage } from '@talad/messaging';
import { MoneySchema, ShippingAddressSchema, ShippingOptionSchema } from '@talad/contracts-common';
import { PaymentMethodSchema, PaySlipSchema } from '@talad/contracts-payment';

/** The most lines, and the most units of one line, an order may have: larger orders are refused (400). */
export const MAX_ORDER_LINES = 50;
export const MAX_LINE_QUANTITY = 20;

export const OrderLineSchema = z.object({
  productId: z.uuid(),
  sku: z.string(),
  name: z.string(),
  size: z.string().nullable(),
  quantity: z.int().positive(),
  unitPrice: MoneySchema,
  lineTotal: MoneySchema,
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

export const OrderTotalsSchema = z.object({ subtotal: MoneySchema, shippingFee: MoneySchema, total: MoneySchema });
export type OrderTotals = z.infer<typeof OrderTotalsSchema>;

export const ORDER_STATUSES = ['pending', 'approved', 'rejected', 'cancelled'] as const;
export const OrderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

export const OrderPlaced = defineMessage({
  type: 'ordering.OrderPlaced.v1',
  kind: 'event',
  schema: z.object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    lines: z.array(OrderLineSchema).min(1),
    totals: OrderTotalsSchema,
    shippingAddress: ShippingAddressSchema,
    shippingOption: ShippingOptionSchema,
    paymentMethod: z.enum(['card', 'counter']),
    placedAt: z.iso.datetime(),
  }),
});

export const OrderApproved = defineMessage({
  type: 'ordering.OrderApproved.v1',
  kind: 'event',
  schema: z.object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    lines: z.array(OrderLineSchema).min(1),
    totals: OrderTotalsSchema,
    shippingAddress: ShippingAddressSchema,
    shippingOption: ShippingOptionSchema,
    approvedAt: z.iso.datetime(),
  }),
});

export const ORDER_REJECTION_REASONS = [
  'CUSTOMER_NOT_FOUND',
  'CUSTOMER_DISABLED',
  'OUT_OF_STOCK',
  'UNKNOWN_PRODUCT',
  'RESERVATION_EXPIRED',
  'PAYMENT_DECLINED',
  'INSUFFICIENT_FUNDS',
  'INVALID_CARD_TOKEN',
  'PAYMENT_PROCESSING_ERROR',
  'STEP_TIMED_OUT',
  /**
   * No longer given: an order whose slip expired unpaid is cancelled (see ORDER_CANCELLATION_REASONS).
   * Kept so that orders rejected for it before read as they were.
   */
  'PAYMENT_EXPIRED',
] as const;
export const OrderRejectionReasonSchema = z.enum(ORDER_REJECTION_REASONS);

export const OrderRejected = defineMessage({
  type: 'ordering.OrderRejected.v1',
  kind: 'event',
  schema: z.object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    reason: OrderRejectionReasonSchema,
    rejectedAt: z.iso.datetime(),
  }),
});

/** Why the system called an order off by itself: paid at a counter, the slip's expiry passed unpaid. */
export const ORDER_CANCELLATION_REASONS = ['PAYMENT_EXPIRED'] as const;
export const OrderCancellationReasonSchema = z.enum(ORDER_CANCELLATION_REASONS);
export type OrderCancellationReason = z.infer<typeof OrderCancellationReasonSchema>;

export const OrderCancelled = defineMessage({
  type: 'ordering.OrderCancelled.v1',
  kind: 'event',
  schema: z.object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    cancelledBy: z.enum(['customer', 'admin', 'system']),
    cancelledAt: z.iso.datetime(),
    /** Set when the system cancelled it (`cancelledBy: 'system'`); absent when a person asked. */
    reason: OrderCancellationReasonSchema.optional(),
  }),
});

/*
 * Fulfilment, recorded from shipping's `ShipmentStatusChanged` (choreography): an approved order's parcel
 * left the warehouse, then reached the customer. Each is recorded (and published) once per order.
 */
export const OrderShipped = defineMessage({
  type: 'ordering.OrderShipped.v1',
  kind: 'event',
  schema: z.object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    trackingNumber: z.string(),
    shippedAt: z.iso.datetime(),
  }),
});

export const OrderDelivered = defineMessage({
  type: 'ordering.OrderDelivered.v1',
  kind: 'event',
  schema: z.object({ orderId: z.uuid(), customerId: z.uuid(), deliveredAt: z.iso.datetime() }),
});

export const ORDERING_EVENTS = [
  OrderPlaced,
  OrderApproved,
  OrderRejected,
  OrderCancelled,
  OrderShipped,
  OrderDelivered,
] as const;

/** `POST /api/orders` with an `Idempotency-Key` header: prices come from ordering's own replicas. */
export const PlaceOrderRequestSchema = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        productId: z.uuid(),
        size: z.string().min(1).max(20).optional(),
        quantity: z.int().min(1).max(MAX_LINE_QUANTITY),
      }),
    )
    .min(1, { error: 'an order needs at least one line' })
    .max(MAX_ORDER_LINES),
  shippingAddress: ShippingAddressSchema,
  shippingOption: ShippingOptionSchema,
  paymentMethod: PaymentMethodSchema,
});
export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequestSchema>;

export const PlaceOrderResponseSchema = z.object({ orderId: z.uuid(), status: OrderStatusSchema });

export const SAGA_STEP_STATES = [
  'pending',
  'running',
  'done',
  'failed',
  'compensating',
  'compensated',
  'skipped',
] as const;

/**
 * Fulfilment beside the status rather than as more statuses: `status` stays the order's commercial
 * outcome (an approved order is paid and its stock committed, whether or not it has shipped), so
 * clients and checks that branch on it keep working, and the parcel's progress is read here.
 */
export const FULFILMENT_STATUSES = ['shipped', 'delivered'] as const;
export const OrderFulfilmentSchema = z.object({
  status: z.enum(FULFILMENT_STATUSES),
  trackingNumber: z.string(),
  shippedAt: z.iso.datetime(),
  deliveredAt: z.iso.datetime().nullable(),
});
export type OrderFulfilment = z.infer<typeof OrderFulfilmentSchema>;

/**
 * A request to cancel: `requested` while it is being undone (checkout aborted before approval, or the
 * cancellation saga after it), `completed` once the order is cancelled, `refused` when shipping had
 * already dispatched the parcel (the order stays approved; `reason` says why, e.g. `SHIPMENT_DISPATCHED`).
 * The system's own call-off (a pay slip that expired unpaid) shows as `completed`, requested by `system`,
 * with `reason` `PAYMENT_EXPIRED`.
 */
export const CANCELLATION_STATES = ['requested', 'completed', 'refused'] as const;
export const OrderCancellationSchema = z.object({
  state: z.enum(CANCELLATION_STATES),
  requestedBy: z.enum(['customer', 'admin', 'system']),
  requestedAt: z.iso.datetime(),
  reason: z.string().nullable().describe('Why it was refused, or why the system cancelled the order'),
});
export type OrderCancellation = z.infer<typeof OrderCancellationSchema>;

export const OrderViewSchema = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  status: OrderStatusSchema,
  rejectionReason: OrderRejectionReasonSchema.nullable(),
  lines: z.array(OrderLineSchema),
  totals: OrderTotalsSchema,
  shippingAddress: ShippingAddressSchema,
  shippingOption: ShippingOptionSchema,
  payment: z.object({
    method: z.enum(['card', 'counter']),
    brand: z.string().nullable(),
    last4: z.string().nullable(),
    slip: PaySlipSchema.nullable().describe('Method counter: the slip to pay, once payment issued it'),
  }),
  placedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().positive(),
  checkout: z
    .object({ steps: z.array(z.object({ name: z.string(), state: z.enum(SAGA_STEP_STATES) })) })
    .describe("The checkout saga's progress, step by step"),
  fulfilment: OrderFulfilmentSchema.nullable().describe('Where the parcel is; null until it leaves the warehouse'),
  cancellation: OrderCancellationSchema.nullable().describe('The last request to cancel the order; null if none'),
});
export type OrderView = z.infer<typeof OrderViewSchema>;

export const OrderIdParamsSchema = z.strictObject({ id: z.uuid() });
