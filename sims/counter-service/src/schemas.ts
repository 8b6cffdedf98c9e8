import { z } from 'zod';

/** A customer pays a slip at the counter: the code read from its barcode, and the cash handed over. */
export const PayRequestSchema = z.strictObject({
  paymentCode: z.string().regex(/^\d{15}$/, { error: 'the payment code is fifteen digits' }),
  amount: z.int().positive().describe('Minor units (satang for THB)'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('THB'),
});

export const COUNTER_PAYMENT_STATUSES = ['confirmed', 'refused'] as const;

/** A payment as the counter recorded it: confirmed by the biller, or refused (with the biller's reason). */
export const CounterPaymentSchema = z.object({
  id: z.string(),
  paymentCode: z.string(),
  amount: z.int(),
  currency: z.string(),
  status: z.enum(COUNTER_PAYMENT_STATUSES),
  /** The biller's problem code when refused, e.g. PAYMENT_SLIP_EXPIRED. */
  refusal: z.object({ code: z.string(), detail: z.string() }).nullable(),
  deliveryId: z.string(),
  paidAt: z.iso.datetime(),
});
export type CounterPaymentView = z.infer<typeof CounterPaymentSchema>;

export const CounterPaymentListSchema = z.object({ items: z.array(CounterPaymentSchema) });
export const PaymentParamsSchema = z.object({ id: z.string().min(1).max(100) });

/** What the biller answered to a delivery sent again as it was (`redeliver`): a replay is refused. */
export const RedeliveryResultSchema = z.object({
  status: z.int(),
  code: z.string().nullable(),
});
