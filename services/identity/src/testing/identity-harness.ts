/**
 * The identity service in-process for its integration tests: a fresh migrated database, a real
 * PostgreSQL message log of its own, a clock the test moves, cheap scrypt parameters, and helpers that
 * go through the HTTP API like a client would.
 */
import type { Writable } from 'node:stream';
import { manualClock } from '@talad/core';
import type { TokenResponse } from '@talad/contracts-identity';
import { migrateMessaging, type Transport } from '@talad/messaging';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import type { ThrottlePolicy } from '../accounts/index.ts';
import { buildIdentityApp } from '../app.ts';
import type { IdentitySettings } from '../config.ts';
import { migrationsDirectory } from '../migrations.ts';
import { createPasswordHasher } from '../passwords/index.ts';
import { prepareIdentity } from '../prepare.ts';

export const ADMIN_EMAIL = 'admin@talad.test';
export const ADMIN_PASSWORD = 'Admin password 2026';
export const ADMIN_CLIENT_SECRET = 'talad-admin-client-secret-for-tests';
export const NOTIFICATION_CLIENT_SECRET = 'notification-client-secret-for-tests';
export const PASSWORD = 'Sawasdee 2026';

export const TEST_SETTINGS: IdentitySettings = {
  issuer: 'http://localhost:8080/api/identity',
  audience: 'talad',
  accessTokenTtlSeconds: 900,
  refreshTokenTtlDays: 30,
  keyRotationDays: 30,
  signingKeySecret: 'a signing key secret of at least 32 characters',
};

/** A sign-in's answer, which always carries a refresh token. */
export type SignInTokens = TokenResponse & { refresh_token: string };

export interface IdentityHarness {
  readonly app: ServiceApp;
  readonly db: TestDatabase;
  /** The message log identity consumes its commands from; other services' messaging can share it. */
  readonly transport: Transport;
  readonly clock: ReturnType<typeof manualClock>;
  /** Builds another app on the same database (another instance, or one with other settings). */
  another(settings: Partial<IdentitySettings>): Promise<ServiceApp>;
  signUp(email: string, password?: string, name?: string): Promise<{ id: string; email: string }>;
  signIn(email: string, password?: string): Promise<SignInTokens>;
  /** Signs up a fresh customer and signs them in. */
  customer(label: string): Promise<{ id: string; email: string; tokens: SignInTokens }>;
  close(): Promise<void>;
}

export async function startIdentity(options: {
  prefix: string;
  settings?: Partial<IdentitySettings>;
  throttle?: ThrottlePolicy;
  /** Captures the service's log lines (at trace level) instead of silencing them. */
  logTo?: Writable;
}): Promise<IdentityHarness> {
  const db = await createTestDatabase({ prefix: options.prefix, migrations: migrationsDirectory });
  await migrateMessaging(db.pool);
  const messageLog = await createTestDatabase({ prefix: `${options.prefix}_log` });
  const transport = createPostgresTransport({ url: messageLog.url });
  const clock = manualClock(new Date());
  const hasher = createPasswordHasher({ N: 2 ** 12, r: 8, p: 1 });
  const logger = createLogger({
    service: 'identity',
    level: options.logTo ? 'trace' : 'silent',
    ...(options.logTo ? { destination: options.logTo } : {}),
  });
  const settings = { ...TEST_SETTINGS, ...options.settings };
  await prepareIdentity({
    pool: db.pool,
    hasher,
    logger,
    clock,
    config: {
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      ADMIN_CLIENT_SECRET,
      NOTIFICATION_CLIENT_SECRET,
      SIGNING_KEY_SECRET: settings.signingKeySecret,
    },
  });
  const build = (overrides: Partial<IdentitySettings>) =>
    buildIdentityApp({
      pool: db.pool,
      transport,
      clock,
      hasher,
      logger,
      settings: { ...settings, ...overrides },
      ...(options.throttle ? { throttle: options.throttle } : {}),
    });
  const app = await build({});
  const others: ServiceApp[] = [];

  const signUp = async (email: string, password = PASSWORD, name = 'Somchai Jaidee') => {
    const response = await app.inject({ method: 'POST', url: '/sign-up', payload: { email, password, name } });
    if (response.statusCode !== 201) throw new Error(`sign-up failed: ${response.statusCode} ${response.body}`);
    return response.json<{ id: string; email: string }>();
  };
  const signIn = async (email: string, password = PASSWORD) => {
    const response = await app.inject({ method: 'POST', url: '/sign-in', payload: { email, password } });
    if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
    return response.json<SignInTokens>();
  };

  return {
    app,
    db,
    transport,
    clock,
    async another(overrides) {
      const other = await build(overrides);
      others.push(other);
      return other;
    },
    signUp,
    signIn,
    async customer(label) {
      const account = await signUp(`${label}@example.com`);
      return { ...account, tokens: await signIn(account.email) };
    },
    async close() {
      for (const other of others) await other.close();
      await app.close();
      await transport.close();
      await db.drop();
      await messageLog.drop();
    },
  };
}

/** Request headers carrying a bearer token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** A form-encoded POST to the token endpoint. */
export function tokenRequest(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return {
    method: 'POST' as const,
    url: '/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(fields).toString(),
  };
}
