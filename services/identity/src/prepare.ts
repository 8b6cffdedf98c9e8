import { systemClock, type Clock } from '@talad/core';
import type { Pool } from '@talad/pg';
import type { Logger } from '@talad/service';
import { createAccountRepository, ensureAdmin } from './accounts/index.ts';
import { configuredClients, registerClients } from './clients/index.ts';
import type { IdentityConfig } from './config.ts';
import type { PasswordHasher } from './passwords/index.ts';

export interface PrepareOptions {
  pool: Pool;
  hasher: PasswordHasher;
  logger: Logger;
  config: Pick<
    IdentityConfig,
    'ADMIN_EMAIL' | 'ADMIN_PASSWORD' | 'ADMIN_CLIENT_SECRET' | 'NOTIFICATION_CLIENT_SECRET' | 'SIGNING_KEY_SECRET'
  >;
  clock?: Clock;
}

/**
 * What the service does once at start, before it serves: the admin account from the environment (on
 * the first start), and the machine clients as configured. Safe to run on every start, and from
 * several instances at once.
 *
 * @example
 * await prepareIdentity({ pool, hasher, logger, config });
 */
export async function prepareIdentity(options: PrepareOptions): Promise<void> {
  const { pool, hasher, logger, config } = options;
  const clock = options.clock ?? systemClock;
  const admin = { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD };
  await ensureAdmin({ accounts: createAccountRepository(pool), hasher, clock, logger }, admin);
  const clients = configuredClients(config);
  await registerClients(pool, hasher, clock, clients);
  logger.info({ clients: clients.map((client) => client.id) }, 'machine clients registered');
  if (config.SIGNING_KEY_SECRET === undefined) {
    logger.warn('SIGNING_KEY_SECRET is not set: private signing keys are stored unencrypted in the database');
  }
}
