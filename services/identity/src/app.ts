import { createTokenVerifier } from '@talad/auth';
import { createMessagingApp } from '@talad/bootstrap';
import { systemClock, type Clock } from '@talad/core';
import type { Transport } from '@talad/messaging';
import type { Pool } from '@talad/pg';
import type { Logger, ServiceApp } from '@talad/service';
import {
  createAccountRepository,
  createSignInThrottle,
  registerAccountRoutes,
  subscribeVerifyCustomer,
  type ThrottlePolicy,
} from './accounts/index.ts';
import { createAddressRepository, registerAddressRoutes } from './addresses/index.ts';
import { registerAdminRoutes } from './admin/index.ts';
import { parseTrustedProxies } from './client-address.ts';
import type { IdentitySettings } from './config.ts';
import { registerFormBodyParser } from './form-body.ts';
import { createKeyEncryption, createSigningKeyStore } from './keys/index.ts';
import { createPasswordHasher, type PasswordHasher } from './passwords/index.ts';
import {
  createAccessTokenSigner,
  createRefreshTokens,
  createSessions,
  registerDiscoveryRoutes,
  registerTokenEndpoint,
} from './tokens/index.ts';

export interface IdentityAppOptions {
  pool: Pool;
  /** The broker: identity answers the checkout saga's `VerifyCustomer` commands. */
  transport: Transport;
  settings: IdentitySettings;
  logger?: Logger;
  clock?: Clock;
  /** Defaults to scrypt at OWASP's cost; tests pass cheaper parameters. */
  hasher?: PasswordHasher;
  throttle?: ThrottlePolicy;
}

/**
 * The identity service: accounts, sign-in, tokens (JWT access tokens, rotating refresh tokens, OAuth 2.0
 * client credentials), signing keys with rotation, JWKS and discovery, and customers' addresses.
 * Builds without listening. It verifies its own access tokens against its own keys, without HTTP.
 * Its consumer of `VerifyCustomer` commands starts when the app is ready and stops when it closes.
 */
export async function buildIdentityApp(options: IdentityAppOptions): Promise<ServiceApp> {
  const { pool, transport, settings } = options;
  const clock = options.clock ?? systemClock;
  const hasher = options.hasher ?? createPasswordHasher();
  const keys = createSigningKeyStore({
    pool,
    clock,
    encryption: createKeyEncryption(settings.signingKeySecret),
    rotationDays: settings.keyRotationDays,
    accessTokenTtlSeconds: settings.accessTokenTtlSeconds,
  });
  const accessTokens = createAccessTokenSigner({
    keys,
    clock,
    issuer: settings.issuer,
    audience: settings.audience,
    ttlSeconds: settings.accessTokenTtlSeconds,
  });
  const refreshTokens = createRefreshTokens({ pool, clock, ttlDays: settings.refreshTokenTtlDays });
  const sessions = createSessions(accessTokens, refreshTokens);
  const accounts = createAccountRepository(pool);

  const { app, messaging } = await createMessagingApp({
    name: 'identity',
    description: 'Accounts, sign-in, access and refresh tokens, signing keys, and delivery addresses.',
    pool,
    transport,
    verifier: createTokenVerifier({
      keySet: () => keys.publicKeys(),
      issuer: settings.issuer,
      audience: settings.audience,
      clock,
    }),
    clock,
    logger: options.logger,
  });
  registerFormBodyParser(app);
  registerAccountRoutes(app, {
    accounts,
    hasher,
    clock,
    sessions,
    refreshTokens,
    throttle: createSignInThrottle(pool, clock, options.throttle),
    trustedProxies: parseTrustedProxies(settings.trustedProxies ?? ''),
  });
  registerTokenEndpoint(app, { pool, hasher, sessions });
  registerDiscoveryRoutes(app, { keys, issuer: settings.issuer });
  registerAddressRoutes(app, createAddressRepository(pool, clock));
  registerAdminRoutes(app, { pool, clock, accounts, refreshTokens, keys });
  subscribeVerifyCustomer(messaging);
  return app;
}
