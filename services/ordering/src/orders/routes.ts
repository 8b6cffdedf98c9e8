import { requireUser, type UserCaller } from '@talad/auth';
import { DomainError } from '@talad/core';
import {
  OrderIdParamsSchema,
  OrderViewSchema,
  PlaceOrderRequestSchema,
  PlaceOrderResponseSchema,
} from '@talad/contracts-ordering';
import type { ServiceApp } from '@talad/service';
import { z } from 'zod';
import { OrderingErrorCode } from '../error-codes.ts';
import { cancelOrder, orderNotFound, type CancelOrderParts } from './cancel-order.ts';
import type { Order } from './domain/index.ts';
import { loadOrder } from './order-store.ts';
import { toOrderView } from './order-view.ts';
import { placeOrder, type PlaceOrderParts } from './place-order.ts';
import { placeOrderValidationError, type ValidationIssue } from './request-errors.ts';

export type OrderRouteParts = PlaceOrderParts & CancelOrderParts;

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

const PlaceOrderHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .max(MAX_IDEMPOTENCY_KEY_LENGTH)
    .optional()
    .describe('Required. A key the client makes once per order (a UUID) and sends again on every retry of it'),
});

/** The owner of an order and admins may see it; anyone else is told there is no such order. */
function canSee(caller: UserCaller, order: Order): boolean {
  return order.customerId === caller.userId || caller.roles.includes('admin');
}

export function registerOrderRoutes(app: ServiceApp, parts: OrderRouteParts): void {
  app.post(
    '/orders',
    {
      config: { access: 'customer' },
      // Validation failures reach the handler, which names the specific problem (empty order, bad quantity).
      attachValidation: true,
      schema: {
        summary: 'Place an order',
        description:
          'Prices the lines from ordering’s own copies of catalog prices and shipping rates, then starts ' +
          'checkout and answers 202 at once: the order is pending until checkout approves or rejects it. ' +
          'Retrying with the same Idempotency-Key and body answers the same, with one order.',
        headers: PlaceOrderHeadersSchema,
        body: PlaceOrderRequestSchema,
        response: { 202: PlaceOrderResponseSchema },
      },
    },
    async (request, reply) => {
      const caller = requireUser(request);
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || key.trim() === '') {
        throw new DomainError(
          'invalid',
          OrderingErrorCode.IdempotencyKeyRequired,
          'send an Idempotency-Key header (a new UUID per order, the same one on every retry)',
        );
      }
      const invalid = request.validationError;
      if (invalid)
        throw (
          (invalid.validationContext === 'body'
            ? placeOrderValidationError(invalid.validation as readonly ValidationIssue[])
            : undefined) ?? invalid
        );
      const answer = await placeOrder(parts, {
        customerId: caller.userId,
        idempotencyKey: key,
        request: request.body,
        callerToken: caller.token,
      });
      return reply.code(202).header('location', `/orders/${answer.orderId}`).send(answer);
    },
  );

  app.get(
    '/orders/:id',
    {
      config: { access: 'customer' },
      schema: {
        summary: 'Get an order with its checkout progress',
        description: 'The order’s owner and admins see it; anyone else gets 404.',
        params: OrderIdParamsSchema,
        response: { 200: OrderViewSchema },
      },
    },
    async (request) => {
      const caller = requireUser(request);
      const { state, version } = await loadOrder(parts.pool, request.params.id);
      if (!state || !canSee(caller, state)) throw orderNotFound(request.params.id);
      return toOrderView(state, version, await parts.orchestrator.get(request.params.id));
    },
  );

  app.post(
    '/orders/:id/cancel',
    {
      config: { access: 'customer' },
      schema: {
        summary: 'Cancel an order before its parcel is dispatched',
        description:
          'Pending: checkout is stopped and what it did is undone (stock released, card authorization voided). ' +
          'Approved: the cancellation saga stops the shipment, refunds the payment and returns the stock. ' +
          'Either way the answer is 202 at once and the order then ends cancelled; `cancellation` in the order ' +
          'shows the request (`requested`, `completed`, or `refused` with its reason when the parcel left ' +
          'meanwhile). 409 ORDERING_ORDER_ALREADY_DISPATCHED once ordering knows the parcel left, ' +
          '409 ORDERING_ORDER_NOT_CANCELLABLE for a rejected order.',
        params: OrderIdParamsSchema,
        response: { 202: PlaceOrderResponseSchema },
      },
    },
    async (request, reply) => {
      const caller = requireUser(request);
      const result = await cancelOrder(parts, {
        orderId: request.params.id,
        canSee: (order) => canSee(caller, order),
        cancelledBy: (order) => (order.customerId === caller.userId ? 'customer' : 'admin'),
      });
      return reply.code(202).send(result);
    },
  );
}
