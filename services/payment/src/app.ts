import type { TokenVerifier } from '@talad/auth';
import { createMessagingApp } from '@talad/bootstrap';
import { systemClock, type Clock } from '@talad/core';
import type { RetryPolicy, Transport } from '@talad/messaging';
import type { Pool } from '@talad/pg';
import type { Logger, ServiceApp } from '@talad/service';
import { registerPaymentRoutes, subscribePaymentCommands } from './payments/index.ts';
import { registerPaymentByOrderRoute } from './payments/by-order-route.ts';
import type { CardProvider } from './provider/index.ts';
import { createSlipExpirySweeper } from './counter/slip-expiry.ts';
import { registerCounterWebhook } from './counter/webhook-route.ts';

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
  /** The secret the counter service signs its webhooks with; without it, no webhook is accepted. */
  counterWebhookSecret?: string;
  /** How long a counter slip may be paid; defaults to 48 hours. */
  slipTtlMs?: number;
  /** How often unpaid slips past their expiry are looked for; defaults to 1 s. */
  slipSweepIntervalMs?: number;
}

/**
 * The payment service: handles the checkout saga's payment commands against the card provider,
 * one payment per order, idempotent per order; tells ordering whether a card token is real; shows
 * payments to operators and the invariant checker. Builds without listening; its consumers start when
 * the app is ready and stop when it closes.
 */
export async function buildPaymentApp(options: PaymentAppOptions): Promise<ServiceApp> {
  const { pool, provider } = options;
  const clock = options.clock ?? systemClock;
  // The provider is not a readiness dependency: without it, commands wait and are retried.
  const { app, messaging } = await createMessagingApp({
    name: 'payment',
    description: 'Card payments of orders: authorize, capture, void, refund at the card provider.',
    ...options,
    clock,
  });
  registerPaymentRoutes(app, { pool, provider });
  registerPaymentByOrderRoute(app, { pool });
  subscribePaymentCommands(messaging, {
    provider,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.commandRetry ? { retry: options.commandRetry } : {}),
    ...(options.slipTtlMs ? { slipTtlMs: options.slipTtlMs } : {}),
  });
  if (options.counterWebhookSecret) {
    registerCounterWebhook(app, { messaging, clock, secret: options.counterWebhookSecret });
  }
  const slipExpiry = createSlipExpirySweeper({
    messaging,
    clock,
    logger: options.logger,
    ...(options.slipSweepIntervalMs ? { intervalMs: options.slipSweepIntervalMs } : {}),
  });
  app.addHook('onReady', async () => slipExpiry.start());
  app.addHook('onClose', () => slipExpiry.stop());
  return app;
}
