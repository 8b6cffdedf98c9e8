import { MoneySchema } from '@talad/contracts-common';
import { DomainError, type Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import type { ServiceApp } from '@talad/service';
import { z } from 'zod';
import { PaymentErrorCode } from '../error-codes.ts';
import { confirmCounterPayment } from './confirm-payment.ts';
import { checkCounterWebhook, COUNTER_WEBHOOK_HEADERS } from './webhook-signature.ts';

/** What a counter service sends when a customer paid a slip. */
export const CounterPaymentNotificationSchema = z.object({
  paymentCode: z.string().regex(/^\d{15}$/, 'fifteen digits'),
  amount: MoneySchema,
  /** When the customer paid, by the counter's clock; payment keeps its own time. */
  paidAt: z.iso.datetime().optional(),
  /** Which counter took the money, for the record. */
  counter: z.string().max(100).optional(),
});

export const CounterPaymentAcceptedSchema = z.object({
  paymentId: z.uuid(),
  orderId: z.uuid(),
  invoiceNumber: z.string(),
  state: z.literal('completed'),
});

export interface CounterWebhookOptions {
  messaging: Pick<Messaging, 'publish' | 'transaction'>;
  clock: Clock;
  /** The secret shared with the counter service. */
  secret: string;
}

/**
 * `POST /webhooks/counter-service`: a counter service confirms a slip was paid. Public (the caller
 * is outside), so every delivery must prove itself: an HMAC-SHA256 signature over its timestamp and
 * raw body (401 when wrong or more than five minutes off), a delivery id never seen before (409 for a
 * replay). The signature is checked on the raw bytes, before the body is even validated.
 */
export function registerCounterWebhook(app: ServiceApp, options: CounterWebhookOptions): void {
  const { messaging, clock, secret } = options;
  const rawBodies = new WeakMap<object, string>();

  void app.register(async (scope) => {
    // Keep the body as sent: re-serialized JSON would not match the signature.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      rawBodies.set(request, text);
      try {
        done(null, JSON.parse(text));
      } catch (error) {
        done(error as Error, undefined);
      }
    });

    scope.post(
      '/webhooks/counter-service',
      {
        config: { access: 'public' },
        schema: {
          summary: 'A counter service confirms a slip was paid (signed with HMAC-SHA256)',
          body: CounterPaymentNotificationSchema,
          response: { 200: CounterPaymentAcceptedSchema },
        },
        preValidation: async (request) => {
          const check = checkCounterWebhook({
            secret,
            signature: header(request.headers[COUNTER_WEBHOOK_HEADERS.signature]),
            timestamp: header(request.headers[COUNTER_WEBHOOK_HEADERS.timestamp]),
            body: rawBodies.get(request) ?? '',
            now: clock.now(),
          });
          if (check === 'bad-signature') {
            throw new DomainError(
              'unauthenticated',
              PaymentErrorCode.WebhookSignatureInvalid,
              'the signature does not match the body and timestamp',
            );
          }
          if (check === 'stale') {
            throw new DomainError(
              'unauthenticated',
              PaymentErrorCode.WebhookTimestampStale,
              'the delivery was signed more than five minutes from now',
            );
          }
        },
      },
      async (request) => {
        const deliveryId = header(request.headers[COUNTER_WEBHOOK_HEADERS.deliveryId]);
        if (!deliveryId || deliveryId.length > 200) {
          throw new DomainError(
            'invalid',
            PaymentErrorCode.WebhookSignatureInvalid,
            `the ${COUNTER_WEBHOOK_HEADERS.deliveryId} header is missing`,
          );
        }
        // Validated against the schema above; the child scope's typing does not carry the schema's type.
        const body = request.body as z.infer<typeof CounterPaymentNotificationSchema>;
        const payment = await messaging.transaction((tx) =>
          confirmCounterPayment(
            tx,
            messaging,
            { deliveryId, paymentCode: body.paymentCode, amount: body.amount },
            clock.now(),
          ),
        );
        return {
          paymentId: payment.id,
          orderId: payment.orderId,
          invoiceNumber: payment.slip?.invoiceNumber ?? '',
          state: 'completed' as const,
        };
      },
    );
  });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
