import { requireUser } from '@talad/auth';
import { MoneySchema } from '@talad/contracts-common';
import { PaySlipSchema } from '@talad/contracts-payment';
import { DomainError } from '@talad/core';
import type { Pool } from '@talad/pg';
import type { ServiceApp } from '@talad/service';
import { z } from 'zod';
import { paySlipOf } from '../counter/pay-slip.ts';
import { PaymentErrorCode } from '../error-codes.ts';
import { PAYMENT_STATES } from './payment.ts';
import { listPayments } from './payment-repository.ts';

/** What a customer sees of their order's payment: the card receipt or the pay slip, never the card token. */
export const OrderPaymentSchema = z.object({
  paymentId: z.uuid(),
  orderId: z.uuid(),
  method: z.enum(['card', 'counter']),
  state: z.enum(PAYMENT_STATES),
  amount: MoneySchema.nullable(),
  card: z.object({ brand: z.string(), last4: z.string() }).nullable(),
  slip: PaySlipSchema.nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/**
 * `GET /payments/by-order/:orderId` for the order's owner (and admins): the gateway's order-details
 * composition asks it beside ordering and shipping. Anyone else, or an order without a payment yet, 404.
 */
export function registerPaymentByOrderRoute(app: ServiceApp, parts: { pool: Pool }): void {
  app.get(
    '/payments/by-order/:orderId',
    {
      config: { access: 'customer' },
      schema: {
        summary: "An order's payment, for its owner",
        params: z.strictObject({ orderId: z.uuid() }),
        response: { 200: OrderPaymentSchema },
      },
    },
    async (request) => {
      const caller = requireUser(request);
      const [payment] = await listPayments(parts.pool, { orderId: request.params.orderId, limit: 1 });
      if (!payment || (payment.customerId !== caller.userId && !caller.roles.includes('admin'))) {
        throw new DomainError('not-found', PaymentErrorCode.PaymentNotFound, 'no payment for this order of yours');
      }
      return {
        paymentId: payment.id,
        orderId: payment.orderId,
        method: payment.method,
        state: payment.state,
        amount: payment.amount,
        card: payment.brand && payment.last4 ? { brand: payment.brand, last4: payment.last4 } : null,
        slip: paySlipOf(payment),
        createdAt: payment.createdAt.toISOString(),
        updatedAt: payment.updatedAt.toISOString(),
      };
    },
  );
}
