import type { TokenVerifier } from '@talad/auth';
import { createMessagingApp } from '@talad/bootstrap';
import { systemClock, type Clock } from '@talad/core';
import type { Transport } from '@talad/messaging';
import type { Pool } from '@talad/pg';
import { createLogger, type Logger, type ServiceApp } from '@talad/service';
import type { CustomerDirectory } from './customers/customer-directory.ts';
import type { Mailer } from './mail/mailer.ts';
import { registerMailboxRoutes } from './notifications/admin-routes.ts';
import { subscribeNotifications } from './notifications/event-handlers.ts';

export interface NotificationAppOptions {
  pool: Pool;
  transport: Transport;
  verifier: TokenVerifier;
  /** Where customers' addresses come from (`createIdentityDirectory`). */
  directory: CustomerDirectory;
  /** SMTP or the local mailbox (`createMailer`). */
  mailer: Mailer;
  clock?: Clock;
  logger?: Logger;
}

/**
 * The notification service: mails customers about their orders (confirmed, pay slip, payment received,
 * shipped, delivered, cancelled or rejected) as ordering's, payment's and shipping's events arrive.
 * Builds without listening; its consumer starts when the app is ready and stops when it closes.
 */
export async function buildNotificationApp(options: NotificationAppOptions): Promise<ServiceApp> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ service: 'notification' });
  const { app, messaging } = await createMessagingApp({
    name: 'notification',
    description: 'Mails about orders, payments and shipments; a local mailbox when no SMTP server is set.',
    ...options,
    clock,
    logger,
  });
  registerMailboxRoutes(app, { pool: options.pool });
  subscribeNotifications(messaging, { directory: options.directory, mailer: options.mailer, clock, logger });
  return app;
}
