import { registerAuthentication, type TokenVerifier } from '@talad/auth';
import { systemClock, type Clock } from '@talad/core';
import { createMessaging, registerMessagingAdmin, type Transport } from '@talad/messaging';
import { pingDatabase, type Pool } from '@talad/pg';
import { createServiceApp, type Logger, type ServiceApp } from '@talad/service';
import { announceRatesOnce, registerRateAdminRoutes, registerRateRoutes } from './rates/index.ts';

export interface ShippingAppOptions {
  pool: Pool;
  transport: Transport;
  verifier: TokenVerifier;
  clock?: Clock;
  logger?: Logger;
}

/**
 * The shipping service: the rate table and quotes for everyone, rate changes for administrators, each
 * announced through the outbox. Builds without listening; when ready it announces the table if it never
 * has (the first start), then starts the relay; the relay stops when the app closes.
 */
export async function buildShippingApp(options: ShippingAppOptions): Promise<ServiceApp> {
  const { pool, transport } = options;
  const clock = options.clock ?? systemClock;
  const app = await createServiceApp({
    name: 'shipping',
    description: 'Shipping rates and quotes; rate changes published for the replicas that price orders.',
    readiness: { database: () => pingDatabase(pool), broker: () => transport.ping() },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const messaging = createMessaging({
    service: 'shipping',
    pool,
    transport,
    registry: app.metricsRegistry,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  registerAuthentication(app, { verifier: options.verifier, realm: 'talad' });
  registerRateRoutes(app, pool);
  registerRateAdminRoutes(app, messaging, clock);
  registerMessagingAdmin(app, {
    deadLetters: messaging.deadLetters,
    routeConfig: { access: ['admin', { scope: 'messaging:admin' }] },
  });
  app.addHook('onReady', async () => {
    if (await announceRatesOnce(messaging, clock)) app.log.info('rate table announced for the first time');
    await messaging.start();
  });
  app.addHook('onClose', () => messaging.stop());
  return app;
}
