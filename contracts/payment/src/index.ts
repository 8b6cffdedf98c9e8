/**
 * The payment service's published contract: the checkout saga's payment commands with their replies.
 * A payment belongs to one order (`orderId` is the key), so every command is idempotent per order:
 * voiding or refunding a payment that was never made, or already undone, succeeds with nothing to undo.
 */
import { z } from 'zod';
import { defineMessage } from '@talad/messaging';
import { MoneySchema } from '@talad/contracts-common';

/** A card the browser tokenized at the provider: Talad never sees the card number. */
export const CardPaymentMethodSchema = z.object({
  type: z.literal('card'),
  cardToken: z.string().min(1).max(200),
});
/** The customer pays later at a counter service, with the slip's payment code. */
export const CounterPaymentMethodSchema = z.object({ type: z.literal('counter') });

export const PaymentMethodSchema = z.discriminatedUnion('type', [CardPaymentMethodSchema, CounterPaymentMethodSchema]);
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;

export const AuthorizePayment = defineMessage({
  type: 'payment.AuthorizePayment.v1',
  kind: 'command',
  schema: z.object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    amount: MoneySchema,
    method: PaymentMethodSchema,
  }),
});

export const PaymentAuthorized = defineMessage({
  type: 'payment.PaymentAuthorized.v1',
  kind: 'reply',
  schema: z.object({
    orderId: z.uuid(),
    paymentId: z.uuid(),
    amount: MoneySchema,
    brand: z.string(),
    last4: z.string().regex(/^\d{4}$/),
  }),
});

/** A business answer from the provider. A provider that is down or slow is retried, never turned into this. */
export const DECLINE_REASONS = ['DECLINED', 'INSUFFICIENT_FUNDS', 'INVALID_CARD_TOKEN', 'PROCESSING_ERROR'] as const;
export const DeclineReasonSchema = z.enum(DECLINE_REASONS);

export const PaymentDeclined = defineMessage({
  type: 'payment.PaymentDeclined.v1',
  kind: 'reply',
  schema: z.object({ orderId: z.uuid(), paymentId: z.uuid(), reason: DeclineReasonSchema }),
});

export const CapturePayment = defineMessage({
  type: 'payment.CapturePayment.v1',
  kind: 'command',
  schema: z.object({ orderId: z.uuid() }),
});

export const PaymentCaptured = defineMessage({
  type: 'payment.PaymentCaptured.v1',
  kind: 'reply',
  schema: z.object({ orderId: z.uuid(), paymentId: z.uuid(), amount: MoneySchema }),
});

export const VoidPayment = defineMessage({
  type: 'payment.VoidPayment.v1',
  kind: 'command',
  schema: z.object({ orderId: z.uuid() }),
});

/** `paymentId` is absent when there was nothing to void (the authorization never happened). */
export const PaymentVoided = defineMessage({
  type: 'payment.PaymentVoided.v1',
  kind: 'reply',
  schema: z.object({ orderId: z.uuid(), paymentId: z.uuid().optional() }),
});

export const RefundPayment = defineMessage({
  type: 'payment.RefundPayment.v1',
  kind: 'command',
  schema: z.object({ orderId: z.uuid() }),
});

export const PaymentRefunded = defineMessage({
  type: 'payment.PaymentRefunded.v1',
  kind: 'reply',
  schema: z.object({ orderId: z.uuid(), paymentId: z.uuid().optional(), amount: MoneySchema }),
});

/*
 * Pay at counter (the slip a customer pays days later at a counter service) and the events the
 * after-checkout world follows: the saga waits for `PaymentCompleted` or `PaymentExpired` of its order;
 * order-history and notification follow `PaymentStatusChanged`.
 */

export const PaySlipSchema = z
  .object({
    invoiceNumber: z.string().describe('e.g. INV-2026-000123'),
    paymentCode: z.string().regex(/^\d{15}$/, 'fifteen digits'),
    barcodeSvg: z.string().describe('The payment code as a barcode, an SVG document'),
    amount: MoneySchema,
    expiresAt: z.iso.datetime(),
  })
  .describe('A slip to pay at a counter service');
export type PaySlip = z.infer<typeof PaySlipSchema>;

/** The answer to `AuthorizePayment` with the counter method: a slip is issued, the money comes later. */
export const PaymentPending = defineMessage({
  type: 'payment.PaymentPending.v1',
  kind: 'reply',
  schema: z.object({ orderId: z.uuid(), paymentId: z.uuid(), slip: PaySlipSchema }),
});

/** A counter service confirmed the slip was paid (through its signed webhook); keyed by order id. */
export const PaymentCompleted = defineMessage({
  type: 'payment.PaymentCompleted.v1',
  kind: 'event',
  schema: z.object({ orderId: z.uuid(), paymentId: z.uuid(), amount: MoneySchema, paidAt: z.iso.datetime() }),
});

/** The slip's expiry passed unpaid; keyed by order id. */
export const PaymentExpired = defineMessage({
  type: 'payment.PaymentExpired.v1',
  kind: 'event',
  schema: z.object({ orderId: z.uuid(), paymentId: z.uuid(), expiredAt: z.iso.datetime() }),
});

export const PAYMENT_STATES = [
  'pending',
  'authorized',
  'declined',
  'captured',
  'completed',
  'expired',
  'voided',
  'refunded',
  'closed',
] as const;
export const PaymentStateSchema = z.enum(PAYMENT_STATES);

/**
 * Every change of a payment, as a whole picture (so a read model replaces rather than merges): the
 * receipt of a card payment, or the slip of a counter payment. Keyed by order id.
 */
export const PaymentStatusChanged = defineMessage({
  type: 'payment.PaymentStatusChanged.v1',
  kind: 'event',
  schema: z.object({
    orderId: z.uuid(),
    paymentId: z.uuid(),
    customerId: z.uuid().optional(),
    method: z.enum(['card', 'counter']),
    state: PaymentStateSchema,
    amount: MoneySchema,
    card: z.object({ brand: z.string(), last4: z.string() }).nullable(),
    slip: PaySlipSchema.nullable(),
    reason: DeclineReasonSchema.nullable(),
    changedAt: z.iso.datetime(),
  }),
});

export const PAYMENT_EVENTS = [PaymentCompleted, PaymentExpired, PaymentStatusChanged] as const;
