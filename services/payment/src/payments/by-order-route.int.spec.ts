import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '@talad/auth/testing';
import { newId } from '@talad/core';
import { migrateMessaging, type Transport } from '@talad/messaging';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { buildPaymentApp } from '../app.ts';
import { migrationsDirectory } from '../migrations.ts';
import { createProviderClient } from '../provider/index.ts';
import { insertPayment } from './payment-repository.ts';

/** `GET /payments/by-order/:orderId`, which the gateway's order-details composition asks, on a real database. */
let db: TestDatabase;
let messageLog: TestDatabase;
let transport: Transport;
let issuer: TestIssuer;
let app: ServiceApp;

beforeAll(async () => {
  [db, messageLog] = await Promise.all([
    createTestDatabase({ prefix: 'payment_by_order', migrations: migrationsDirectory }),
    createTestDatabase({ prefix: 'payment_by_order_log' }),
  ]);
  await migrateMessaging(db.pool);
  transport = createPostgresTransport({ url: messageLog.url });
  issuer = await createTestIssuer();
  app = await buildPaymentApp({
    pool: db.pool,
    transport,
    verifier: issuer.verifier,
    // Never called by this route: nothing listens there.
    provider: createProviderClient({ baseUrl: 'http://127.0.0.1:9' }),
    logger: createLogger({ service: 'payment', level: 'silent' }),
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await transport.close();
  await db.drop();
  await messageLog.drop();
});

const asUser = async (sub: string, roles = ['customer']) => ({
  authorization: `Bearer ${await issuer.tokenFor({ sub, roles })}`,
});

describe("payment: an order's payment for its owner", () => {
  it('shows the card receipt to the owner and admins, never the card token; 404 to anyone else', async () => {
    const customerId = newId();
    const orderId = newId();
    await insertPayment(
      db.pool,
      {
        id: newId(),
        orderId,
        customerId,
        state: 'authorized',
        amount: { amount: 305_000, currency: 'THB' },
        cardToken: 'tok_secret',
        brand: 'visa',
        last4: '4242',
        providerAuthorizationId: 'auth_1',
        declineReason: null,
      },
      new Date(),
    );
    const owner = await app.inject({ url: `/payments/by-order/${orderId}`, headers: await asUser(customerId) });
    expect(owner.statusCode).toBe(200);
    expect(owner.json()).toMatchObject({
      orderId,
      method: 'card',
      state: 'authorized',
      amount: { amount: 305_000 },
      card: { brand: 'visa', last4: '4242' },
      slip: null,
    });
    expect(owner.body).not.toContain('tok_secret');
    const admin = await app.inject({ url: `/payments/by-order/${orderId}`, headers: await asUser(newId(), ['admin']) });
    expect(admin.statusCode).toBe(200);
    const stranger = await app.inject({ url: `/payments/by-order/${orderId}`, headers: await asUser(newId()) });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json()).toMatchObject({ code: 'PAYMENT_NOT_FOUND' });
  });

  it('answers 404 for an order without a payment, 400 for a bad id, 401 without a token', async () => {
    const none = await app.inject({ url: `/payments/by-order/${newId()}`, headers: await asUser(newId()) });
    expect(none.statusCode).toBe(404);
    const bad = await app.inject({ url: '/payments/by-order/nope', headers: await asUser(newId()) });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject(`/payments/by-order/${newId()}`)).statusCode).toBe(401);
  });
});
