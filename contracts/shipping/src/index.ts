/**
 * The shipping service's published contract: its rates, the quote API, and the rates event that
 * ordering's replica follows so that pricing an order never waits on shipping.
 */
import { z } from 'zod';
import { defineMessage } from '@talad/messaging';
import { MoneySchema, ShippingAddressSchema, ShippingOptionSchema } from '@talad/contracts-common';

export const ShippingRateSchema = z.object({
  option: ShippingOptionSchema,
  fee: MoneySchema,
  /** An order whose subtotal is at least this ships free; null: never free. */
  freeFrom: MoneySchema.nullable(),
  estimatedDays: z.object({ min: z.int().positive(), max: z.int().positive() }),
});
export type ShippingRate = z.infer<typeof ShippingRateSchema>;

/** The whole rate table after a change (keyed `rates`), so a replica replaces rather than merges. */
export const ShippingRatesChanged = defineMessage({
  type: 'shipping.ShippingRatesChanged.v1',
  kind: 'event',
  schema: z.object({ rates: z.array(ShippingRateSchema).min(1), effectiveAt: z.iso.datetime() }),
});

/** `GET /api/shipping/quote?subtotal=<satang>`: each option with its fee for that subtotal. */
export const QuoteQuerySchema = z.strictObject({
  subtotal: z.preprocess(
    (value) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value),
    z.int({ error: 'must be a whole number of satang' }).nonnegative(),
  ),
});
export const QuoteSchema = z.object({
  subtotal: MoneySchema,
  options: z.array(
    z.object({
      option: ShippingOptionSchema,
      fee: MoneySchema,
      estimatedDays: z.object({ min: z.int().positive(), max: z.int().positive() }),
    }),
  ),
});
export type Quote = z.infer<typeof QuoteSchema>;

/*
 * Shipments: shipping creates one on `ordering.OrderApproved` (choreography, no command) and publishes
 * every change of it, keyed by order id, so order-history, ordering and notification follow along.
 */
export const SHIPMENT_STATUSES = ['created', 'dispatched', 'in_transit', 'delivered', 'cancelled'] as const;
export const ShipmentStatusSchema = z.enum(SHIPMENT_STATUSES);
export type ShipmentStatus = z.infer<typeof ShipmentStatusSchema>;

export const ShipmentStatusChanged = defineMessage({
  type: 'shipping.ShipmentStatusChanged.v1',
  kind: 'event',
  schema: z.object({
    shipmentId: z.uuid(),
    orderId: z.uuid(),
    customerId: z.uuid(),
    trackingNumber: z.string(),
    courier: z.string(),
    option: ShippingOptionSchema,
    status: ShipmentStatusSchema,
    changedAt: z.iso.datetime(),
  }),
});

/** Cancellation asks shipping to stop a shipment; refused once it has left the warehouse. */
export const CancelShipment = defineMessage({
  type: 'shipping.CancelShipment.v1',
  kind: 'command',
  schema: z.object({ orderId: z.uuid() }),
});
export const ShipmentCancelled = defineMessage({
  type: 'shipping.ShipmentCancelled.v1',
  kind: 'reply',
  schema: z.object({ orderId: z.uuid(), shipmentId: z.uuid().optional() }),
});
export const ShipmentCancellationRefused = defineMessage({
  type: 'shipping.ShipmentCancellationRefused.v1',
  kind: 'reply',
  schema: z.object({ orderId: z.uuid(), status: ShipmentStatusSchema }),
});

/*
 * Tracking numbers: `TH`, twelve digits, then a check digit (the Luhn digit of the twelve), so a
 * mistyped number is told apart from an unknown one (400, not 404).
 */
export const TRACKING_NUMBER_PATTERN = /^TH\d{13}$/;

/** The Luhn check digit of a string of digits (the digit that makes the whole pass the Luhn check). */
export function trackingCheckDigit(digits: string): number {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    // From the right, the digit next to the check digit is doubled, then every second one.
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function isTrackingNumber(value: string): boolean {
  return TRACKING_NUMBER_PATTERN.test(value) && trackingCheckDigit(value.slice(2, 14)) === Number(value[14]);
}

export const TrackingNumberSchema = z
  .string()
  .refine(isTrackingNumber, { error: 'must be TH, 12 digits and a check digit, e.g. TH0000000000018' })
  .describe('TH, 12 digits, then a Luhn check digit');

/** One step of a shipment's life, oldest first. */
export const ShipmentTimelineEntrySchema = z.object({ status: ShipmentStatusSchema, at: z.iso.datetime() });

/** `GET /api/shipping/shipments/by-order/{orderId}`: the order's shipment, for its customer and admins. */
export const ShipmentByOrderParamsSchema = z.strictObject({ orderId: z.uuid() });
export const ShipmentViewSchema = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  customerId: z.uuid(),
  trackingNumber: TrackingNumberSchema,
  courier: z.string(),
  option: ShippingOptionSchema,
  status: ShipmentStatusSchema,
  shippingAddress: ShippingAddressSchema,
  timeline: z.array(ShipmentTimelineEntrySchema),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ShipmentView = z.infer<typeof ShipmentViewSchema>;

/** `GET /api/shipping/shipments/track/{trackingNumber}`: public, so no address, order or customer. */
export const TrackingParamsSchema = z.strictObject({ trackingNumber: TrackingNumberSchema });
export const TrackingViewSchema = z.object({
  trackingNumber: TrackingNumberSchema,
  courier: z.string(),
  option: ShippingOptionSchema,
  status: ShipmentStatusSchema,
  timeline: z.array(ShipmentTimelineEntrySchema),
});
export type TrackingView = z.infer<typeof TrackingViewSchema>;
