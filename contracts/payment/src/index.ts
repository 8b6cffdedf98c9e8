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
export const PaymentMethodSchema = z.discriminatedUnion('type', [CardPaymentMethodSchema]);
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
