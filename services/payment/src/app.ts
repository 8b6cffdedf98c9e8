import { registerAuthentication, type TokenVerifier } from '@talad/auth';
import { systemClock, type Clock } from '@talad/core';
import { createMessaging, registerMessagingAdmin, type RetryPolicy, type Transport } from '@talad/messaging';
import { pingDatabase, type Pool } from '@talad/pg';
import { createServiceApp, type Logger, type ServiceApp } from '@talad/service';
import { registerPaymentRoutes, subscribePaymentCommands } from './payments/index.ts';
import type { CardProvider } from './provider/index.ts';

export interface PaymentAppOptions {
  pool: Pool;
  transport: Transport;
  verifier: TokenVerifier;
  /** The card processor (`createProviderClient`). */
  provider: CardProvider;
  clock?: Clock;
  logger?: Logger;
  /** Overrides how failing payment commands are retried (tests make it quick). */
  commandRetry?: Partial<RetryPolicy>;
}

/**
 * The payment service: handles the checkout saga's payment commands against the card provider,
 * one payment per order, idempotent per order; tells ordering whether a card token is real; shows
 * payments to operators and the invariant checker. Builds without listening; its consumers start when
 * the app is ready and stop when it closes.
 */
export async function buildPaymentApp(options: PaymentAppOptions): Promise<ServiceApp> {
  const { pool, transport, provider } = options;
  const clock = options.clock ?? systemClock;
  const app = await createServiceApp({
    name: 'payment',
    description: 'Card payments of orders: authorize, capture, void, refund at the card provider.',
    // The provider is not a readiness dependency: without it, commands wait and are retried.
    readiness: { database: () => pingDatabase(pool), broker: () => transport.ping() },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const messaging = createMessaging({
    service: 'payment',
    pool,
    transport,
    registry: app.metricsRegistry,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  registerAuthentication(app, { verifier: options.verifier, realm: 'talad' });
  registerPaymentRoutes(app, { pool, provider });
  subscribePaymentCommands(messaging, {
    provider,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.commandRetry ? { retry: options.commandRetry } : {}),
  });
  registerMessagingAdmin(app, {
    deadLetters: messaging.deadLetters,
    routeConfig: { access: ['admin', { scope: 'messaging:admin' }] },
  });
  app.addHook('onReady', () => messaging.start());
  app.addHook('onClose', () => messaging.stop());
  return app;
}
