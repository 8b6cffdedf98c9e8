import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '@talad/auth/testing';
import { buildCardProviderApp, TEST_CARDS } from '@talad/card-provider-sim';
import {
  AuthorizePayment,
  CapturePayment,
  PaymentAuthorized,
  PaymentCaptured,
  PaymentDeclined,
  PaymentRefunded,
  PaymentVoided,
  RefundPayment,
  VoidPayment,
} from '@talad/contracts-payment';
import { newId } from '@talad/core';
import { createMessaging, migrateMessaging, type Messaging, type Transport } from '@talad/messaging';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { buildPaymentApp } from './app.ts';
import { migrationsDirectory } from './migrations.ts';
import { providerKey } from './payments/index.ts';
import { createProviderClient } from './provider/index.ts';

/**
 * The payment service handling real commands from a real requester over the PostgreSQL message log,
 * against the card provider simulator on real HTTP: the provider's books tell how many times anyone
 * was charged.
 */
let paymentDb: TestDatabase;
let requesterDb: TestDatabase;
let messageLog: TestDatabase;
let transport: Transport;
let simulator: ServiceApp;
let providerUrl: string;
let payment: ServiceApp;
let requester: Messaging;
let issuer: TestIssuer;
const replies: Array<{ type: string; correlationId: string | undefined; data: Record<string, unknown> }> = [];
const silent = (service: string) => createLogger({ service, level: 'silent' });

beforeAll(async () => {
  [paymentDb, requesterDb, messageLog] = await Promise.all([
    createTestDatabase({ prefix: 'payment', migrations: migrationsDirectory }),
    createTestDatabase({ prefix: 'payment_requester' }),
    createTestDatabase({ prefix: 'payment_log' }),
  ]);
  await Promise.all([migrateMessaging(paymentDb.pool), migrateMessaging(requesterDb.pool)]);
  transport = createPostgresTransport({ url: messageLog.url, pollIntervalMs: 100 });

  simulator = await buildCardProviderApp({ logger: silent('card-provider') });
  providerUrl = await simulator.listen({ host: '127.0.0.1', port: 0 });

  issuer = await createTestIssuer();
  payment = await buildPaymentApp({
    pool: paymentDb.pool,
    transport,
    verifier: issuer.verifier,
    // A short deadline, so the slow test card outlasts it; quick retries, so the tests stay fast.
    provider: createProviderClient({
      baseUrl: providerUrl,
      timeoutMs: 400,
      retry: { attempts: 2, initialDelayMs: 50, maxDelayMs: 100 },
      breaker: { failureThreshold: 5, openMs: 200 },
    }),
    commandRetry: { attempts: 40, initialDelayMs: 100, maxDelayMs: 300 },
    logger: silent('payment'),
  });
  await payment.ready();

  // The checkout saga's side of the conversation: sends commands, receives the replies.
  requester = createMessaging({ service: 'ordering', pool: requesterDb.pool, transport, logger: silent('ordering') });
  requester.subscribe({
    messages: [PaymentAuthorized, PaymentDeclined, PaymentCaptured, PaymentVoided, PaymentRefunded],
    handler: async (message) => {
      replies.push({ type: message.type, correlationId: message.correlationId, data: message.data });
    },
  });
  await requester.start();
});

beforeEach(async () => {
  await provider('PUT', '/admin/faults', { latencyMs: 0, failureRate: 0, slowCardDelayMs: 1_500 });
});

afterAll(async () => {
  await requester.stop();
  await payment.close();
  await simulator.close();
  await transport.close();
  await Promise.all([paymentDb.drop(), requesterDb.drop(), messageLog.drop()]);
});

/** What the tests read of the simulator's answers. */
interface ProviderBody {
  token: string;
  items: Array<{ id: string; status: string }>;
}

async function provider(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${providerUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as ProviderBody };
}

async function tokenFor(number: string): Promise<string> {
  const { body } = await provider('POST', '/v1/tokens', { number, expMonth: 12, expYear: 2040, cvc: '123' });
  return body.token;
}

const providerAuthorizations = async (orderId: string): Promise<Array<{ id: string; status: string }>> =>
  (await provider('GET', `/v1/authorizations?reference=${orderId}`)).body.items;

const amount = { amount: 259_000, currency: 'THB' as const };

async function send(command: 'authorize', orderId: string, cardToken: string): Promise<string>;
async function send(command: 'capture' | 'void' | 'refund', orderId: string): Promise<string>;
async function send(
  command: 'authorize' | 'capture' | 'void' | 'refund',
  orderId: string,
  cardToken = '',
): Promise<string> {
  return requester.transaction(async (tx) => {
    switch (command) {
      case 'authorize':
        return requester.send(
          tx,
          AuthorizePayment,
          { orderId, customerId: newId(), amount, method: { type: 'card', cardToken } },
          { key: orderId },
        );
      case 'capture':
        return requester.send(tx, CapturePayment, { orderId }, { key: orderId });
      case 'void':
        return requester.send(tx, VoidPayment, { orderId }, { key: orderId });
      case 'refund':
        return requester.send(tx, RefundPayment, { orderId }, { key: orderId });
    }
  });
}

async function replyTo(commandId: string) {
  for (let waited = 0; waited < 20_000; waited += 25) {
    const reply = replies.find((candidate) => candidate.correlationId === commandId);
    if (reply) return reply;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no reply to ${commandId}`);
}

async function storedPayments(orderId: string) {
  const { rows } = await paymentDb.pool.query<Record<string, unknown>>('SELECT * FROM payments WHERE order_id = $1', [
    orderId,
  ]);
  return rows;
}

describe('payment commands', () => {
  it('authorizes a good card: replies with brand and last four, stores the token and never a card number', async () => {
    const orderId = newId();
    const token = await tokenFor(TEST_CARDS.success);
    const reply = await replyTo(await send('authorize', orderId, token));

    expect(reply.type).toBe(PaymentAuthorized.type);
    expect(reply.data).toMatchObject({ orderId, amount, brand: 'visa', last4: '4242', paymentId: expect.any(String) });
    const [stored] = await storedPayments(orderId);
    expect(stored).toMatchObject({ state: 'authorized', card_token: token, last4: '4242', amount: 259_000 });
    expect(JSON.stringify(stored)).not.toContain(TEST_CARDS.success);
    expect(await providerAuthorizations(orderId)).toEqual([
      expect.objectContaining({ id: stored!.provider_authorization_id, status: 'authorized' }),
    ]);
  });

  it('declines with the reason of each declining test card, and an unknown token as an invalid card', async () => {
    const cases = [
      [TEST_CARDS.declined, 'DECLINED'],
      [TEST_CARDS.insufficientFunds, 'INSUFFICIENT_FUNDS'],
      [TEST_CARDS.processingError, 'PROCESSING_ERROR'],
    ] as const;
    for (const [number, reason] of cases) {
      const orderId = newId();
      const reply = await replyTo(await send('authorize', orderId, await tokenFor(number)));
      expect([reply.type, reply.data.reason]).toEqual([PaymentDeclined.type, reason]);
      expect((await storedPayments(orderId))[0]).toMatchObject({ state: 'declined', decline_reason: reason });
    }
    const unknown = await replyTo(await send('authorize', newId(), 'tok_never_issued'));
    expect([unknown.type, unknown.data.reason]).toEqual([PaymentDeclined.type, 'INVALID_CARD_TOKEN']);
  });

  it('retries while the provider answers 503, never declining, and authorizes once when it recovers', async () => {
    const orderId = newId();
    const token = await tokenFor(TEST_CARDS.success);
    await provider('PUT', '/admin/faults', { failureRate: 1 });
    const commandId = await send('authorize', orderId, token);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(replies.filter((reply) => reply.correlationId === commandId)).toEqual([]);
    expect(await storedPayments(orderId)).toEqual([]);

    await provider('PUT', '/admin/faults', { failureRate: 0 });
    expect((await replyTo(commandId)).type).toBe(PaymentAuthorized.type);
    expect(await providerAuthorizations(orderId)).toHaveLength(1);
  });

  it('retries a slow card past the deadline with the same key: one authorization, one payment', async () => {
    const orderId = newId();
    const reply = await replyTo(await send('authorize', orderId, await tokenFor(TEST_CARDS.slow)));
    expect(reply.type).toBe(PaymentAuthorized.type);
    expect(await providerAuthorizations(orderId)).toHaveLength(1);
    expect(await storedPayments(orderId)).toHaveLength(1);
  });

  it('voids an authorization when the saga compensates', async () => {
    const orderId = newId();
    const authorized = await replyTo(await send('authorize', orderId, await tokenFor(TEST_CARDS.success)));
    const voided = await replyTo(await send('void', orderId));
    expect(voided).toMatchObject({ type: PaymentVoided.type, data: { orderId, paymentId: authorized.data.paymentId } });
    expect((await storedPayments(orderId))[0]).toMatchObject({ state: 'voided', voided_at: expect.any(Date) });
    expect((await providerAuthorizations(orderId)).map((entry) => entry.status)).toEqual(['voided']);
  });

  it('voids with nothing to void, and declines the authorization that arrives after its compensation', async () => {
    const orderId = newId();
    const voided = await replyTo(await send('void', orderId));
    expect(voided.type).toBe(PaymentVoided.type);
    expect(voided.data).toEqual({ orderId });
    expect((await storedPayments(orderId))[0]).toMatchObject({ state: 'closed' });

    const late = await replyTo(await send('authorize', orderId, await tokenFor(TEST_CARDS.success)));
    expect([late.type, late.data.reason]).toEqual([PaymentDeclined.type, 'DECLINED']);
    expect(await providerAuthorizations(orderId)).toEqual([]);
  });

  it('voids an authorization the provider made but the service never recorded, before leaving the tombstone', async () => {
    const orderId = newId();
    // As if an earlier try authorized and its answer was lost, then the command was given up.
    await provider(
      'POST',
      '/v1/authorizations',
      { token: await tokenFor(TEST_CARDS.success), amount: amount.amount, currency: 'THB', reference: orderId },
      { 'idempotency-key': providerKey(orderId, 'authorize') },
    );
    const voided = await replyTo(await send('void', orderId));
    expect(voided.data).toEqual({ orderId });
    expect((await providerAuthorizations(orderId)).map((entry) => entry.status)).toEqual(['voided']);
  });

  it('captures, then refunds when the order is cancelled', async () => {
    const orderId = newId();
    const authorized = await replyTo(await send('authorize', orderId, await tokenFor(TEST_CARDS.success)));
    const captured = await replyTo(await send('capture', orderId));
    expect(captured).toMatchObject({
      type: PaymentCaptured.type,
      data: { paymentId: authorized.data.paymentId, amount },
    });
    const refunded = await replyTo(await send('refund', orderId));
    expect(refunded).toMatchObject({
      type: PaymentRefunded.type,
      data: { paymentId: authorized.data.paymentId, amount },
    });
    expect((await storedPayments(orderId))[0]).toMatchObject({ state: 'refunded' });
    expect((await providerAuthorizations(orderId)).map((entry) => entry.status)).toEqual(['refunded']);
  });

  it('refunds nothing for an order that was never paid, with a zero amount and no payment id', async () => {
    const orderId = newId();
    const refunded = await replyTo(await send('refund', orderId));
    expect(refunded).toMatchObject({
      type: PaymentRefunded.type,
      data: { orderId, amount: { amount: 0, currency: 'THB' } },
    });
    expect(refunded.data.paymentId).toBeUndefined();
  });

  it('gives duplicate commands one effect and the same answer', async () => {
    const orderId = newId();
    const token = await tokenFor(TEST_CARDS.success);
    const [first, second] = await Promise.all([send('authorize', orderId, token), send('authorize', orderId, token)]);
    const answers = [await replyTo(first), await replyTo(second)];
    expect(answers.map((answer) => answer.type)).toEqual([PaymentAuthorized.type, PaymentAuthorized.type]);
    expect(answers[1]!.data.paymentId).toBe(answers[0]!.data.paymentId);

    const captures = [await send('capture', orderId), await send('capture', orderId)];
    for (const id of captures) expect((await replyTo(id)).type).toBe(PaymentCaptured.type);
    const voids = [await send('void', orderId), await send('void', orderId)];
    for (const id of voids) expect((await replyTo(id)).type).toBe(PaymentVoided.type);

    expect(await storedPayments(orderId)).toHaveLength(1);
    // A void after capture undoes it the only way left: a refund, once.
    expect((await providerAuthorizations(orderId)).map((entry) => entry.status)).toEqual(['refunded']);
  });
});

describe('payment HTTP API', () => {
  const customer = async () => ({
    authorization: `Bearer ${await issuer.tokenFor({ sub: newId(), roles: ['customer'] })}`,
  });
  const checker = async () => ({
    authorization: `Bearer ${await issuer.tokenFor({ sub: 'invariants', client_id: 'invariants', scope: 'payment:read' })}`,
  });

  it("tells ordering a card token's brand and last four, or that the provider never issued it", async () => {
    const token = await tokenFor('5555555555554444');
    const known = await payment.inject({ url: `/card-tokens/${token}`, headers: await customer() });
    expect(known.statusCode).toBe(200);
    expect(known.json()).toEqual({ brand: 'mastercard', last4: '4444' });
    const unknown = await payment.inject({ url: '/card-tokens/tok_never_issued', headers: await checker() });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('PAYMENT_UNKNOWN_CARD_TOKEN');
    expect((await payment.inject({ url: `/card-tokens/${token}` })).statusCode).toBe(401);
  });

  it('answers 503, not 404, when the provider cannot tell', async () => {
    const token = await tokenFor(TEST_CARDS.success);
    await provider('PUT', '/admin/faults', { failureRate: 1 });
    const response = await payment.inject({ url: `/card-tokens/${token}`, headers: await customer() });
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
  });

  it("shows an order's payment and every payment's state to the invariant checker, not to customers", async () => {
    const orderId = newId();
    await replyTo(await send('authorize', orderId, await tokenFor(TEST_CARDS.success)));
    const listed = await payment.inject({ url: `/admin/payments?orderId=${orderId}`, headers: await checker() });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toEqual([
      expect.objectContaining({ orderId, state: 'authorized', amount, brand: 'visa', last4: '4242' }),
    ]);
    expect(JSON.stringify(listed.json())).not.toContain('tok_');

    const consistency = await payment.inject({ url: '/admin/consistency', headers: await checker() });
    expect(consistency.json().payments).toContainEqual(expect.objectContaining({ orderId, state: 'authorized' }));
    expect((await payment.inject({ url: '/admin/consistency', headers: await customer() })).statusCode).toBe(403);
    expect((await payment.inject({ url: '/admin/payments?orderId=nope', headers: await checker() })).statusCode).toBe(
      400,
    );
  });
});
