import { systemClock, type Clock } from '@talad/core';
import { createLogger, createServiceApp, problem, sendProblem, type Logger, type ServiceApp } from '@talad/service';
import { CourierErrorCode } from './error-codes.ts';
import { createPickupBook, type Pace } from './pickups.ts';
import {
  PaceChangesSchema,
  PaceSchema,
  PickupListSchema,
  PickupRequestSchema,
  PickupSchema,
  ReferenceParamsSchema,
} from './schemas.ts';

export const DEFAULT_PACE: Pace = { stepMs: 5_000, retryMs: 1_000, callbackTimeoutMs: 5_000 };

export interface CourierAppOptions {
  /** How fast parcels move and failed updates are retried. */
  pace?: Partial<Pace>;
  clock?: Clock;
  logger?: Logger;
}

/**
 * A courier's HTTP API, simulated: the sender books a pickup with a callback URL and a secret, and the
 * courier reports the parcel's progress there, each update signed. It stands for the outside world:
 * nothing it does is part of the sender's transactions. State lives in memory.
 */
export async function buildCourierApp(options: CourierAppOptions = {}): Promise<ServiceApp> {
  const pace: Pace = { ...DEFAULT_PACE, ...options.pace };
  const logger = options.logger ?? createLogger({ service: 'courier' });
  const book = createPickupBook({ pace, clock: options.clock ?? systemClock, logger });
  const app = await createServiceApp({
    name: 'courier',
    description: 'A simulated courier: pickups booked by reference, progress reported through signed callbacks.',
    logger,
  });
  app.addHook('preClose', async () => book.close());

  app.post(
    '/v1/pickups',
    {
      schema: {
        summary: 'Book a pickup (idempotent by reference)',
        description: 'Dispatched, in transit and delivered follow, each POSTed signed to callbackUrl.',
        body: PickupRequestSchema,
        response: { 200: PickupSchema, 201: PickupSchema },
      },
    },
    async (request, reply) => {
      const { created, pickup } = book.book(request.body);
      return reply.code(created ? 201 : 200).send(pickup);
    },
  );

  app.post(
    '/v1/pickups/:reference/cancel',
    {
      schema: {
        summary: 'Call off a pickup that has not been dispatched',
        params: ReferenceParamsSchema,
        response: { 200: PickupSchema },
      },
    },
    async (request, reply) => {
      const outcome = book.cancel(request.params.reference);
      if (outcome.ok) return outcome.pickup;
      return sendProblem(
        reply,
        problem(409, CourierErrorCode.AlreadyDispatched, `the parcel is ${outcome.status}: too late to cancel`, {
          pickupStatus: outcome.status,
        }),
      );
    },
  );

  app.get(
    '/v1/pickups/:reference',
    { schema: { summary: 'One pickup, as it is now', params: ReferenceParamsSchema, response: { 200: PickupSchema } } },
    async (request, reply) => {
      const pickup = book.find(request.params.reference);
      if (pickup) return pickup;
      return sendProblem(
        reply,
        problem(404, CourierErrorCode.UnknownPickup, `no pickup under ${request.params.reference}`),
      );
    },
  );

  app.get(
    '/v1/pickups',
    { schema: { summary: 'Every pickup (for inspection)', response: { 200: PickupListSchema } } },
    async () => ({ items: book.all() }),
  );

  app.get(
    '/admin/pace',
    { schema: { summary: 'How fast parcels move and failed updates are retried', response: { 200: PaceSchema } } },
    async () => ({ ...pace }),
  );

  app.put(
    '/admin/pace',
    {
      schema: {
        summary: 'Change the pace while running (steps already scheduled keep theirs)',
        body: PaceChangesSchema,
        response: { 200: PaceSchema },
      },
    },
    async (request) => {
      Object.assign(pace, request.body);
      return { ...pace };
    },
  );

  return app;
}
