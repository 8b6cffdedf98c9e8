import { registerAuthentication, type TokenVerifier } from '@talad/auth';
import { systemClock, type Clock } from '@talad/core';
import { createMessaging, registerMessagingAdmin, type Messaging, type Transport } from '@talad/messaging';
import { pingDatabase, type Pool } from '@talad/pg';
import { createServiceApp, type Logger, type ReadinessCheck, type ServiceApp } from '@talad/service';

export interface MessagingAppOptions {
  name: string;
  description: string;
  pool: Pool;
  transport: Transport;
  verifier: TokenVerifier;
  clock?: Clock;
  logger?: Logger;
  /** Readiness checks beyond the database and the broker, which are always there. */
  readiness?: Record<string, ReadinessCheck>;
}

export interface MessagingApp {
  readonly app: ServiceApp;
  readonly messaging: Messaging;
}

/**
 * A service's app with what every messaging service has: readiness of its database and broker, bearer
 * tokens checked against identity's keys, messaging (outbox, relay, consumers) started when the app is
 * ready and stopped when it closes, and the dead-letter admin endpoints for admins and the
 * `messaging:admin` scope. Register routes and `messaging.subscribe` on the result before it is ready.
 * Hooks the service adds run after messaging has started, and on close before it stops (Fastify runs
 * `onClose` hooks in reverse order), so sweepers and bootstraps may use it throughout.
 *
 * @example
 * const { app, messaging } = await createMessagingApp({ name: 'basket', description: '…', pool, transport, verifier });
 * registerBasketRoutes(app, pool);
 * messaging.subscribe({ messages: [OrderPlaced], handler: emptyBasket });
 */
export async function createMessagingApp(options: MessagingAppOptions): Promise<MessagingApp> {
  const { pool, transport } = options;
  const app = await createServiceApp({
    name: options.name,
    description: options.description,
    readiness: { database: () => pingDatabase(pool), broker: () => transport.ping(), ...options.readiness },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const messaging = createMessaging({
    service: options.name,
    pool,
    transport,
    registry: app.metricsRegistry,
    clock: options.clock ?? systemClock,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  registerAuthentication(app, { verifier: options.verifier, realm: 'talad' });
  registerMessagingAdmin(app, {
    deadLetters: messaging.deadLetters,
    routeConfig: { access: ['admin', { scope: 'messaging:admin' }] },
  });
  app.addHook('onReady', () => messaging.start());
  app.addHook('onClose', () => messaging.stop());
  return { app, messaging };
}
