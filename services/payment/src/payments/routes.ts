import { DomainError } from '@talad/core';
import type { Pool } from '@talad/pg';
import type { ServiceApp } from '@talad/service';
import type { z } from 'zod';
import { PaymentErrorCode } from '../error-codes.ts';
import { ProviderUnavailableError, type CardProvider } from '../provider/index.ts';
import {
  CardTokenParamsSchema,
  CardTokenViewSchema,
  ConsistencyViewSchema,
  PaymentListQuerySchema,
  PaymentListSchema,
  type PaymentViewSchema,
} from './http-schemas.ts';
import { listPayments, paymentStates } from './payment-repository.ts';
import type { Payment } from './payment.ts';

/** Operators, and machine clients that check the system's invariants. */
export const PAYMENT_READERS = ['admin', { scope: 'payment:read' }] as const;

export interface PaymentRouteOptions {
  pool: Pool;
  provider: CardProvider;
}

/**
 * `GET /card-tokens/:token` for ordering (is this a card the provider issued, and what to show of it),
 * and the operators' views of payments.
 */
export function registerPaymentRoutes(app: ServiceApp, options: PaymentRouteOptions): void {
  const { pool, provider } = options;

  app.get(
    '/card-tokens/:token',
    {
      config: { access: ['customer', { scope: 'payment:read' }] },
      schema: {
        summary: "A card token's brand and last four digits, if the provider issued it",
        params: CardTokenParamsSchema,
        response: { 200: CardTokenViewSchema },
      },
    },
    async (request) => {
      let card;
      try {
        card = await provider.cardToken(request.params.token);
      } catch (error) {
        if (!(error instanceof ProviderUnavailableError)) throw error;
        throw Object.assign(
          new DomainError(
            'unavailable',
            PaymentErrorCode.ProviderUnavailable,
            'the card provider cannot be reached just now; try again shortly',
          ),
          { cause: error },
        );
      }
      if (!card) {
        throw new DomainError(
          'not-found',
          PaymentErrorCode.UnknownCardToken,
          'the card provider issued no such card token',
        );
      }
      return { brand: card.brand, last4: card.last4 };
    },
  );

  app.get(
    '/admin/payments',
    {
      config: { access: PAYMENT_READERS },
      schema: {
        summary: "Payments, newest first, or one order's",
        querystring: PaymentListQuerySchema,
        response: { 200: PaymentListSchema },
      },
    },
    async (request) => ({ items: (await listPayments(pool, request.query)).map(paymentView) }),
  );

  app.get(
    '/admin/consistency',
    {
      config: { access: PAYMENT_READERS },
      schema: {
        summary: "Every payment's order and state, for the invariant checker",
        response: { 200: ConsistencyViewSchema },
      },
    },
    async () => ({
      payments: (await paymentStates(pool)).map((payment) => ({
        paymentId: payment.id,
        orderId: payment.orderId,
        state: payment.state,
        amount: payment.amount,
        providerAuthorizationId: payment.providerAuthorizationId,
      })),
    }),
  );
}

function paymentView(payment: Payment): z.infer<typeof PaymentViewSchema> {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: payment.id,
    orderId: payment.orderId,
    customerId: payment.customerId,
    method: payment.method,
    state: payment.state,
    amount: payment.amount,
    slip: payment.slip ? { ...payment.slip, expiresAt: payment.slip.expiresAt.toISOString() } : null,
    brand: payment.brand,
    last4: payment.last4,
    providerAuthorizationId: payment.providerAuthorizationId,
    declineReason: payment.declineReason,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
    authorizedAt: iso(payment.authorizedAt),
    capturedAt: iso(payment.capturedAt),
    voidedAt: iso(payment.voidedAt),
    refundedAt: iso(payment.refundedAt),
    completedAt: iso(payment.completedAt),
    expiredAt: iso(payment.expiredAt),
  };
}
