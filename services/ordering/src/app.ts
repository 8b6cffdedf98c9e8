import { registerAuthentication, type TokenVerifier } from '@talad/auth';
import { systemClock, type Clock } from '@talad/core';
import { createMessaging, registerMessagingAdmin, type Messaging, type Transport } from '@talad/messaging';
import { pingDatabase, type Pool } from '@talad/pg';
import { createServiceApp, type Logger, type ServiceApp } from '@talad/service';
import {
  createOrderLifecycle,
  registerOrderRoutes,
  registerSagaAdminRoutes,
  type CheckoutOrchestrator,
  type OrderLifecycle,
} from './orders/index.ts';
import type { CardTokenCheck } from './payment/card-tokens.ts';
import { subscribeReplicas } from './replicas/index.ts';

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
 * replicas of catalog prices and shipping rates, the checkout saga that approves or rejects them, and
 * the replicas' consumers. Builds without listening; messaging starts when the app is ready and stops
 * when it closes.
 */
export async function buildOrderingApp(options: OrderingAppOptions): Promise<ServiceApp> {
  const { pool, transport } = options;
  const clock = options.clock ?? systemClock;
  const app = await createServiceApp({
    name: 'ordering',
    description: 'Orders (event-sourced), the checkout saga, and replicas of catalog prices and shipping rates.',
    readiness: { database: () => pingDatabase(pool), broker: () => transport.ping() },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const messaging = createMessaging({
    service: 'ordering',
    pool,
    transport,
    clock,
    registry: app.metricsRegistry,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const orders = createOrderLifecycle({ publisher: messaging });
  const checkout = options.checkout({ pool, messaging, orders, clock, logger: options.logger });
  checkout.subscribe();
  subscribeReplicas(messaging);

  registerAuthentication(app, { verifier: options.verifier, realm: 'talad' });
  registerOrderRoutes(app, {
    pool,
    messaging,
    orchestrator: checkout,
    checkCardToken: options.checkCardToken,
    clock,
  });
  registerSagaAdminRoutes(app, checkout);
  registerMessagingAdmin(app, {
    deadLetters: messaging.deadLetters,
    routeConfig: { access: ['admin', { scope: 'messaging:admin' }] },
  });
  app.addHook('onReady', async () => {
    await messaging.start();
    await checkout.run?.();
  });
  app.addHook('onClose', async () => {
    await checkout.stop?.();
    await messaging.stop();
  });
  return app;
}
