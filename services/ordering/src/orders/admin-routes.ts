import { DomainError } from '@talad/core';
import type { ServiceApp } from '@talad/service';
import { z } from 'zod';
import { OrderingErrorCode } from '../error-codes.ts';
import { SAGA_STATES, type CheckoutOrchestrator, type SagaInstanceView } from './checkout-port.ts';

const SagaIdParamsSchema = z.strictObject({ id: z.uuid() });
const SagaListQuerySchema = z.strictObject({
  state: z.enum(SAGA_STATES as ['running', 'compensating', 'completed', 'compensated']).optional(),
  limit: z.preprocess(
    (value) => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value),
    z.int().min(1).max(500).default(50),
  ),
});

/**
 * A saga instance as the orchestrator shows it: state, data, each step's state, and the history of
 * commands sent and replies received. Only the fields ordering relies on are fixed here; the rest
 * passes through as the orchestrator gives it.
 */
const SagaInstanceSchema = z.looseObject({
  state: z.string(),
  steps: z.array(z.looseObject({ name: z.string(), state: z.string() })),
});

/** Operators' view of checkout sagas: one by id (the order id), or a list by state. Admins only. */
export function registerSagaAdminRoutes(app: ServiceApp, orchestrator: CheckoutOrchestrator): void {
  const config = { access: 'admin' } as const;

  app.get(
    '/admin/sagas/:id',
    {
      config,
      schema: {
        summary: 'One checkout saga: state, data, steps and history',
        params: SagaIdParamsSchema,
        response: { 200: SagaInstanceSchema },
      },
    },
    async (request) => {
      const saga = await orchestrator.get(request.params.id);
      if (!saga) {
        throw new DomainError('not-found', OrderingErrorCode.SagaNotFound, `no saga ${request.params.id}`);
      }
      return viewOf(saga);
    },
  );

  app.get(
    '/admin/sagas',
    {
      config,
      schema: {
        summary: 'Checkout sagas, optionally in one state (e.g. compensating)',
        querystring: SagaListQuerySchema,
        response: { 200: z.object({ items: z.array(SagaInstanceSchema) }) },
      },
    },
    async (request) => {
      const items = await orchestrator.list({
        limit: request.query.limit,
        ...(request.query.state ? { state: request.query.state } : {}),
      });
      return { items: items.map(viewOf) };
    },
  );
}

function viewOf(saga: SagaInstanceView): z.infer<typeof SagaInstanceSchema> {
  return { ...saga, steps: saga.steps.map((step) => ({ ...step })) };
}
