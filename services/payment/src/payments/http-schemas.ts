import { z } from 'zod';
import { MoneySchema } from '@talad/contracts-common';
import { DeclineReasonSchema } from '@talad/contracts-payment';
import { PAYMENT_STATES } from './payment.ts';

export const CardTokenParamsSchema = z.object({ token: z.string().min(1).max(200) });

/** What ordering shows of a card before the order is placed. */
export const CardTokenViewSchema = z.object({ brand: z.string(), last4: z.string().regex(/^\d{4}$/) });

/** A payment as operators see it: never the card token, which could be charged. */
export const PaymentViewSchema = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  customerId: z.uuid().nullable(),
  method: z.enum(['card', 'counter']),
  state: z.enum(PAYMENT_STATES),
  amount: MoneySchema.nullable(),
  /** Counter payments: the slip's invoice number, payment code and expiry. */
  slip: z.object({ invoiceNumber: z.string(), paymentCode: z.string(), expiresAt: z.iso.datetime() }).nullable(),
  brand: z.string().nullable(),
  last4: z.string().nullable(),
  providerAuthorizationId: z.string().nullable(),
  declineReason: DeclineReasonSchema.nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  authorizedAt: z.iso.datetime().nullable(),
  capturedAt: z.iso.datetime().nullable(),
  voidedAt: z.iso.datetime().nullable(),
  refundedAt: z.iso.datetime().nullable(),
  completedAt: z.iso.datetime().nullable(),
  expiredAt: z.iso.datetime().nullable(),
});

export const PaymentListQuerySchema = z.object({
  orderId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});
export const PaymentListSchema = z.object({ items: z.array(PaymentViewSchema) });

export const ConsistencyViewSchema = z.object({
  payments: z.array(
    z.object({
      paymentId: z.uuid(),
      orderId: z.uuid(),
      state: z.enum(PAYMENT_STATES),
      amount: MoneySchema.nullable(),
      providerAuthorizationId: z.string().nullable(),
    }),
  ),
});
