import type { TokenVerifier } from '@talad/auth';
import { createMessagingApp } from '@talad/bootstrap';
import { systemClock, type Clock } from '@talad/core';
import type { Transport } from '@talad/messaging';
import type { Pool } from '@talad/pg';
import { createLogger, type Logger, type ServiceApp } from '@talad/service';
import type { Courier } from './courier/courier-client.ts';
import { createPickupDesk, type PickupDeskSettings } from './courier/pickup-desk.ts';
import { registerCourierUpdateRoute } from './courier/update-route.ts';
import { announceRatesOnce, registerRateAdminRoutes, registerRateRoutes } from './rates/index.ts';
import { registerShipmentRoutes } from './shipments/routes.ts';
import { subscribeShipmentHandlers } from './shipments/shipment-handlers.ts';

/** The courier shipments go with, as customers see it on tracking. */
export const DEFAULT_COURIER_NAME = 'Talad Courier';

export interface ShippingAppOptions {
  pool: Pool;
  transport: Transport;
  verifier: TokenVerifier;
  /** The courier's API (pickups), and the secret its status updates are signed with. */
  courier: { client: Courier; updateSecret: string; name?: string; desk?: Partial<PickupDeskSettings> };
  clock?: Clock;
  logger?: Logger;
}

/**
 * The shipping service: the rate table and quotes for everyone, rate changes for administrators, each
 * announced through the outbox; a shipment for every approved order, moved along by the courier's
 * signed updates and published at every step; cancellation until dispatch. Builds without listening;
 * when ready it starts the relay and the consumers, announces the table if it never has (the first
 * start) and starts the pickup desk; they stop when the app closes.
 */
export async function buildShippingApp(options: ShippingAppOptions): Promise<ServiceApp> {
  const { pool } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ service: 'shipping' });
  const { app, messaging } = await createMessagingApp({
    name: 'shipping',
    description:
      'Shipping rates and quotes; shipments created on approved orders, tracked through the courier, cancellable until dispatch.',
    ...options,
    clock,
    logger,
  });
  const desk = createPickupDesk({
    pool,
    courier: options.courier.client,
    clock,
    logger,
    ...(options.courier.desk ? { settings: options.courier.desk } : {}),
  });
  subscribeShipmentHandlers({
    messaging,
    clock,
    courier: options.courier.name ?? DEFAULT_COURIER_NAME,
    onPickupWork: () => desk.wake(),
  });
  registerRateRoutes(app, pool);
  registerRateAdminRoutes(app, messaging, clock);
  registerShipmentRoutes(app, pool);
  registerCourierUpdateRoute(app, { messaging, clock, secret: options.courier.updateSecret });
  // The announcement goes through the outbox, so the relay already running sends it at once.
  app.addHook('onReady', async () => {
    if (await announceRatesOnce(messaging, clock)) app.log.info('rate table announced for the first time');
    desk.start();
  });
  app.addHook('onClose', () => desk.stop());
  return app;
}
