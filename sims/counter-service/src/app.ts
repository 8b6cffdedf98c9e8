import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '@talad/core';
import { createServiceApp, problem, sendProblem, type Logger, type ServiceApp } from '@talad/service';
import { CounterServiceErrorCode } from './error-codes.ts';
import {
  CounterPaymentListSchema,
  CounterPaymentSchema,
  PaymentParamsSchema,
  PayRequestSchema,
  RedeliveryResultSchema,
  type CounterPaymentView,
} from './schemas.ts';
import { signedHeaders } from './signature.ts';

export interface CounterServiceAppOptions {
  /** The biller's webhook (payment's `POST /webhooks/counter-service`). */
  webhookUrl: string;
  /** Shared with the biller: every delivery is signed with it. */
  secret: string;
  /** How long to wait for the biller. Defaults to 5 s. */
  timeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/** A delivery as it was sent, kept so it can be sent again byte for byte. */
interface SentDelivery {
  body: string;
  headers: Record<string, string>;
}

/**
 * A counter service (a convenience-store till) simulated: a person or a test pays a slip by its
 * payment code, and the counter confirms it to the biller through a signed webhook before it keeps
 * the money. What the biller refuses (an expired or cancelled slip, a wrong amount) is refused at the
 * counter too, with the biller's reason. State lives in memory.
 */
export async function buildCounterServiceApp(options: CounterServiceAppOptions): Promise<ServiceApp> {
  const clock = options.clock ?? systemClock;
  const payments = new Map<string, CounterPaymentView>();
  const deliveries = new Map<string, SentDelivery>();

  const app = await createServiceApp({
    name: 'counter-service',
    description: 'A simulated counter service: pay a slip by its code; confirmed to the biller by a signed webhook.',
    ...(options.logger ? { logger: options.logger } : {}),
  });

  async function deliver(delivery: SentDelivery): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(options.webhookUrl, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON: only the status counts
    }
    return { status: response.status, body };
  }

  app.post(
    '/v1/payments',
    {
      schema: {
        summary: 'Pay a slip by its payment code (confirmed to the biller before the money is kept)',
        body: PayRequestSchema,
        response: { 201: CounterPaymentSchema },
      },
    },
    async (request, reply) => {
      const { paymentCode, amount, currency } = request.body;
      const now = clock.now();
      const id = `cp_${randomUUID()}`;
      const deliveryId = `dl_${randomUUID()}`;
      const body = JSON.stringify({ paymentCode, amount: { amount, currency }, paidAt: now.toISOString() });
      const delivery = { body, headers: signedHeaders(options.secret, body, deliveryId, now) };
      let answer;
      try {
        answer = await deliver(delivery);
      } catch (error) {
        request.log.warn({ err: error }, 'the biller did not answer');
        return sendProblem(reply, unavailable('the biller did not answer; nothing was taken, try again'));
      }
      if (answer.status >= 500) {
        return sendProblem(reply, unavailable(`the biller failed (${answer.status}); nothing was taken, try again`));
      }
      deliveries.set(id, delivery);
      const refused = answer.status >= 300;
      const refusal = refused
        ? {
            code: typeof answer.body['code'] === 'string' ? answer.body['code'] : `HTTP_${answer.status}`,
            detail: typeof answer.body['detail'] === 'string' ? answer.body['detail'] : 'refused by the biller',
          }
        : null;
      const payment: CounterPaymentView = {
        id,
        paymentCode,
        amount,
        currency,
        status: refused ? 'refused' : 'confirmed',
        refusal,
        deliveryId,
        paidAt: now.toISOString(),
      };
      payments.set(id, payment);
      if (refusal) {
        return sendProblem(
          reply,
          problem(422, CounterServiceErrorCode.PaymentRefused, `the biller refused: ${refusal.detail}`, {
            billerCode: refusal.code,
            paymentId: id,
          }),
        );
      }
      return reply.code(201).send(payment);
    },
  );

  app.get(
    '/v1/payments',
    {
      schema: {
        summary: 'Every payment taken or refused here, newest first',
        response: { 200: CounterPaymentListSchema },
      },
    },
    async () => ({ items: [...payments.values()].reverse() }),
  );

  app.get(
    '/v1/payments/:id',
    {
      schema: { summary: 'One payment', params: PaymentParamsSchema, response: { 200: CounterPaymentSchema } },
    },
    async (request, reply) => {
      const payment = payments.get(request.params.id);
      if (!payment) return sendProblem(reply, unknownPayment(request.params.id));
      return payment;
    },
  );

  app.post(
    '/admin/payments/:id/redeliver',
    {
      schema: {
        summary: "Send a payment's webhook again exactly as it was (a replay, which the biller must refuse)",
        params: PaymentParamsSchema,
        response: { 200: RedeliveryResultSchema },
      },
    },
    async (request, reply) => {
      const delivery = deliveries.get(request.params.id);
      if (!delivery) return sendProblem(reply, unknownPayment(request.params.id));
      const answer = await deliver(delivery);
      return { status: answer.status, code: typeof answer.body['code'] === 'string' ? answer.body['code'] : null };
    },
  );

  return app;
}

function unavailable(detail: string) {
  return problem(502, CounterServiceErrorCode.BillerUnavailable, detail);
}

function unknownPayment(id: string) {
  return problem(404, CounterServiceErrorCode.UnknownPayment, `no payment ${id} was taken here`);
}
