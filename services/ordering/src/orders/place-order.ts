import { DomainError, newId, type Clock } from '@talad/core';
import { OrderPlaced, type PlaceOrderRequest } from '@talad/contracts-ordering';
import type { Messaging } from '@talad/messaging';
import type { Pool } from '@talad/pg';
import { OrderingErrorCode } from '../error-codes.ts';
import type { CardTokenCheck } from '../payment/card-tokens.ts';
import { currentShippingRates, findProducts } from '../replicas/index.ts';
import { CHECKOUT_SAGA, type CheckoutOrchestrator, type CheckoutStartData } from './checkout-port.ts';
import { priceOrder, type OrderDetails } from './domain/index.ts';
import { claimKey, findAnswer, requestHash, type StoredAnswer } from './idempotency.ts';
import { executeOrderCommand } from './order-store.ts';

export interface PlaceOrderParts {
  pool: Pool;
  messaging: Messaging;
  orchestrator: CheckoutOrchestrator;
  checkCardToken: CardTokenCheck;
  clock: Clock;
}

/** The answer to a place-order request (always 202 Accepted: checkout runs after it). */
export interface PlaceOrderAnswer {
  readonly orderId: string;
  readonly status: 'pending';
}

const ACCEPTED = 202;

/**
 * Places an order: priced from ordering's own replicas (catalog and shipping may be down), checked,
 * then in one transaction: the idempotency key claimed, `OrderPlaced` appended to the new order's
 * stream and published through the outbox, and the checkout saga started. Answers at once; the order
 * is pending until the saga ends. The same key with the same body answers the same, with one order.
 */
export async function placeOrder(
  parts: PlaceOrderParts,
  input: { customerId: string; idempotencyKey: string; request: PlaceOrderRequest; callerToken: string },
): Promise<PlaceOrderAnswer> {
  const { pool, messaging, clock } = parts;
  const { customerId, idempotencyKey: key, request } = input;
  const hash = requestHash(request);
  // A retry is answered before anything is checked again (the replica or the card may have changed).
  const earlier = await findAnswer(pool, customerId, key);
  if (earlier) return replay(earlier, hash);

  const [products, rates] = await Promise.all([
    findProducts(
      pool,
      request.lines.map((line) => line.productId),
    ),
    currentShippingRates(pool),
  ]);
  const { lines, totals } = priceOrder({
    lines: request.lines,
    products,
    rates,
    shippingOption: request.shippingOption,
  });
  const method = request.paymentMethod;
  if (method.type === 'card' && (await parts.checkCardToken(method.cardToken, input.callerToken)) === 'unknown') {
    throw new DomainError(
      'unprocessable',
      OrderingErrorCode.UnknownCardToken,
      'the card token is not known to the payment provider; enter the card again',
    );
  }

  const now = clock.now();
  const orderId = newId(now.getTime());
  const answer: PlaceOrderAnswer = { orderId, status: 'pending' };
  const details: OrderDetails = {
    orderId,
    customerId,
    lines,
    totals,
    shippingAddress: request.shippingAddress,
    shippingOption: request.shippingOption,
    paymentMethod: method.type,
  };
  return messaging.transaction(async (tx) => {
    const claim = await claimKey(tx, customerId, key, {
      requestHash: hash,
      orderId,
      statusCode: ACCEPTED,
      body: answer,
    });
    if (!claim.claimed) return replay(claim.existing, hash);
    const placedAt = now.toISOString();
    await executeOrderCommand(tx, orderId, { type: 'PlaceOrder', order: details, at: placedAt });
    await messaging.publish(tx, OrderPlaced, { ...details, lines: [...lines], placedAt }, { key: orderId });
    await parts.orchestrator.start(tx, CHECKOUT_SAGA, orderId, checkoutData(details, request));
    return answer;
  });
}

function replay(earlier: StoredAnswer, hash: string): PlaceOrderAnswer {
  if (earlier.requestHash !== hash) {
    throw new DomainError(
      'unprocessable',
      OrderingErrorCode.IdempotencyKeyReused,
      'this Idempotency-Key was already used for a different order; use a new key for a new order',
      { orderId: earlier.orderId },
    );
  }
  return earlier.body as PlaceOrderAnswer;
}

/** The saga's data: stock is held per product, so lines of one product in several sizes are merged. */
function checkoutData(order: OrderDetails, request: PlaceOrderRequest): CheckoutStartData {
  const quantities = new Map<string, number>();
  for (const line of order.lines) quantities.set(line.productId, (quantities.get(line.productId) ?? 0) + line.quantity);
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    lines: [...quantities].map(([productId, quantity]) => ({ productId, quantity })),
    total: order.totals.total,
    paymentMethod: request.paymentMethod,
  };
}
