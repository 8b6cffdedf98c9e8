import type { TokenVerifier } from '@talad/auth';
import { createMessagingApp } from '@talad/bootstrap';
import { systemClock, type Clock } from '@talad/core';
import type { Messaging, Transport } from '@talad/messaging';
import type { Pool } from '@talad/pg';
import type { AnySagaDefinition } from '@talad/saga';
import type { Logger, ServiceApp } from '@talad/service';
import {
  createOrderLifecycle,
  registerOrderRoutes,
  registerSagaAdminRoutes,
  type CheckoutOrchestrator,
  type OrderLifecycle,
} from './orders/index.ts';
import { registerConsistencyRoutes } from './orders/consistency-routes.ts';
import type { CardTokenCheck } from './payment/card-tokens.ts';
import { subscribeReplicas } from './replicas/index.ts';
import { cancellationSaga } from './cancellation/index.ts';
import { followShipments } from './fulfilment/follow-shipments.ts';

/** The checkout saga's orchestrator, as the app runs it. */
export interface CheckoutRuntime extends CheckoutOrchestrator {
  /** Subscribes to the saga's replies; called before messaging starts. */
  subscribe(): void;
  /** Starts background work (the deadline sweeper), once messaging runs. */
  run?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}

export interface CheckoutWiring {
  pool: Pool;
  messaging: Messaging;
  orders: OrderLifecycle;
  clock: Clock;
  logger: Logger | undefined;
  /** Sagas to run on the same orchestrator as checkout: the cancellation of approved orders. */
  sagas: readonly AnySagaDefinition[];
}

export interface OrderingAppOptions {
  pool: Pool;
  transport: Transport;
  verifier: TokenVerifier;
  /** Builds the checkout orchestrator on the app's messaging; its hooks change orders through `orders`. */
  checkout: (wiring: CheckoutWiring) => CheckoutRuntime;
  checkCardToken: CardTokenCheck;
  clock?: Clock;
  logger?: Logger;
}

/**
 * The ordering service: orders as event streams, placed idempotently and priced from ordering's own
 * replicas of catalog prices and shipping rates, the checkout saga that approves or rejects them, the
 * cancellation saga of approved orders, the shipments it follows, and the replicas' consumers. Builds
 * without listening; messaging and then the checkout's background work start when the app is ready,
 * and stop in reverse when it closes.
 */
export async function buildOrderingApp(options: OrderingAppOptions): Promise<ServiceApp> {
  const { pool } = options;
  const clock = options.clock ?? systemClock;
  const { app, messaging } = await createMessagingApp({
    name: 'ordering',
    description: 'Orders (event-sourced), the checkout saga, and replicas of catalog prices and shipping rates.',
    ...options,
    clock,
  });
  const orders = createOrderLifecycle({ publisher: messaging });
  const sagas = [cancellationSaga({ orders, clock })];
  const checkout = options.checkout({ pool, messaging, orders, clock, logger: options.logger, sagas });
  // Subscribed before messaging starts: the sagas' replies, the replicas' sources, approved orders' shipments.
  checkout.subscribe();
  subscribeReplicas(messaging);
  followShipments(messaging, orders, options.logger);

  registerOrderRoutes(app, {
    pool,
    messaging,
    orchestrator: checkout,
    checkCardToken: options.checkCardToken,
    clock,
  });
  registerSagaAdminRoutes(app, checkout);
  registerConsistencyRoutes(app, pool);

  app.addHook('onReady', async () => checkout.run?.());
  app.addHook('onClose', async () => checkout.stop?.());
  return app;
}
