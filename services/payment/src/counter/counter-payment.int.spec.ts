import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '@talad/auth/testing';
import { buildCardProviderApp, TEST_CARDS } from '@talad/card-provider-sim';
import {
  AuthorizePayment,
  CapturePayment,
  PaymentAuthorized,
  PaymentCaptured,
  PaymentCompleted,
  PaymentDeclined,
  PaymentExpired,
  PaymentPending,
  PaymentRefunded,
  PaymentStatusChanged,
  PaymentVoided,
  RefundPayment,
  VoidPayment,
  type PaymentMethod,
} from '@talad/contracts-payment';
import { buildCounterServiceApp, signedHeaders } from '@talad/counter-service-sim';
import { manualClock, newId } from '@talad/core';
import { createMessaging, migrateMessaging, type Messaging, type Transport } from '@talad/messaging';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { buildPaymentApp } from '../app.ts';
import { migrationsDirectory } from '../migrations.ts';
import { createProviderClient } from '../provider/index.ts';
import { assertWellFormedXml } from '../testing/well-formed-xml.ts';
import { isValidPaymentCode } from './payment-code.ts';
import { createSlipExpirySweeper } from './slip-expiry.ts';

/**
 * Pay at counter on real PostgreSQL and the PostgreSQL message log: a requester standing for the
 * checkout saga sends payment's commands and follows its events; the counter-service simulator pays
 * slips through payment's signed webhook over real HTTP. Time is a manual clock shared by payment and
 * the counter, so slips expire when the test says.
 */
const secret = 'counter-webhook-secret-for-tests';
const ttlMs = 1_000;
const clock = manualClock(new Date('2026-05-01T08:00:00Z'));
const amount = { amount: 45_900, currency: 'THB' as const };
const silent = (service: string) => createLogger({ service, level: 'silent' });

let paymentDb: TestDatabase;
let requesterDb: TestDatabase;
let messageLog: TestDatabase;
let transport: Transport;
let cards: ServiceApp;
let cardsUrl: string;
let payment: ServiceApp;
let paymentUrl: string;
let counter: ServiceApp;
let counterUrl: string;
let requester: Messaging;
let issuer: TestIssuer;
const received: Array<{ type: string; correlationId: string | undefined; data: Record<string, unknown> }> = [];

beforeAll(async () => {
  [paymentDb, requesterDb, messageLog] = await Promise.all([
    createTestDatabase({ prefix: 'counter_payment', migrations: migrationsDirectory }),
    createTestDatabase({ prefix: 'counter_requester' }),
    createTestDatabase({ prefix: 'counter_log' }),
  ]);
  await Promise.all([migrateMessaging(paymentDb.pool), migrateMessaging(requesterDb.pool)]);
  transport = createPostgresTransport({ url: messageLog.url, pollIntervalMs: 100 });
  cards = await buildCardProviderApp({ logger: silent('card-provider') });
  cardsUrl = await cards.listen({ host: '127.0.0.1', port: 0 });
  issuer = await createTestIssuer();
  payment = await buildPaymentApp({
    pool: paymentDb.pool,
    transport,
    verifier: issuer.verifier,
    provider: createProviderClient({ baseUrl: cardsUrl, timeoutMs: 2_000 }),
    clock,
    logger: silent('payment'),
    counterWebhookSecret: secret,
    slipTtlMs: ttlMs,
    // The test sweeps itself, with two sweepers at once.
    slipSweepIntervalMs: 3_600_000,
  });
  paymentUrl = await payment.listen({ host: '127.0.0.1', port: 0 });
  counter = await buildCounterServiceApp({
    webhookUrl: `${paymentUrl}/webhooks/counter-service`,
    secret,
    clock,
    logger: silent('counter-service'),
  });
  counterUrl = await counter.listen({ host: '127.0.0.1', port: 0 });

  requester = createMessaging({ service: 'ordering', pool: requesterDb.pool, transport, logger: silent('ordering') });
  requester.subscribe({
    messages: [PaymentAuthorized, PaymentDeclined, PaymentPending, PaymentCaptured, PaymentVoided, PaymentRefunded],
    handler: async (message) => {
      received.push({ type: message.type, correlationId: message.correlationId, data: message.data });
    },
  });
  requester.subscribe({
    messages: [PaymentCompleted, PaymentExpired, PaymentStatusChanged],
    handler: async (message) => {
      received.push({ type: message.type, correlationId: undefined, data: message.data });
    },
  });
  await requester.start();
});

afterAll(async () => {
  await requester.stop();
  await counter.close();
  await payment.close();
  await cards.close();
  await transport.close();
  await Promise.all([paymentDb.drop(), requesterDb.drop(), messageLog.drop()]);
});

async function send(command: 'authorize', orderId: string, method?: PaymentMethod): Promise<string>;
async function send(command: 'capture' | 'void' | 'refund', orderId: string): Promise<string>;
async function send(
  command: 'authorize' | 'capture' | 'void' | 'refund',
  orderId: string,
  method: PaymentMethod = { type: 'counter' },
): Promise<string> {
  return requester.transaction(async (tx) => {
    const key = { key: orderId };
    switch (command) {
      case 'authorize':
        return requester.send(tx, AuthorizePayment, { orderId, customerId: newId(), amount, method }, key);
      case 'capture':
        return requester.send(tx, CapturePayment, { orderId }, key);
      case 'void':
        return requester.send(tx, VoidPayment, { orderId }, key);
      case 'refund':
        return requester.send(tx, RefundPayment, { orderId }, key);
    }
  });
}

async function waitFor<T>(find: () => T | undefined, what: string): Promise<T> {
  for (let waited = 0; waited < 20_000; waited += 25) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`waited in vain for ${what}`);
}

const replyTo = (commandId: string) =>
  waitFor(() => received.find((each) => each.correlationId === commandId), `a reply to ${commandId}`);

const eventsOf = (orderId: string, type: string) =>
  received.filter((each) => each.type === type && each.data['orderId'] === orderId);

/** The states `PaymentStatusChanged` announced for the order, once there are `count` of them. */
async function statesOf(orderId: string, count: number): Promise<string[]> {
  const events = await waitFor(() => {
    const found = eventsOf(orderId, PaymentStatusChanged.type);
    return found.length >= count ? found : undefined;
  }, `${count} status changes of ${orderId}`);
  return events.map((each) => String(each.data['state']));
}

async function issueSlip(orderId = newId()) {
  const reply = await replyTo(await send('authorize', orderId));
  expect(reply.type).toBe(PaymentPending.type);
  const slip = reply.data['slip'] as {
    paymentCode: string;
    invoiceNumber: string;
    barcodeSvg: string;
    expiresAt: string;
  };
  return { orderId, reply, slip };
}

async function http(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const payAtCounter = (paymentCode: string, paid = amount.amount) =>
  http(counterUrl, 'POST', '/v1/payments', { paymentCode, amount: paid });

describe('pay at counter', () => {
  it('issues a slip: invoice number, a valid 15-digit code, a well-formed SVG barcode, the amount and the expiry', async () => {
    const { orderId, reply, slip } = await issueSlip();
    expect(slip.invoiceNumber).toMatch(/^INV-2026-\d{6}$/);
    expect(slip.paymentCode).toMatch(/^\d{15}$/);
    expect(isValidPaymentCode(slip.paymentCode)).toBe(true);
    expect(() => assertWellFormedXml(slip.barcodeSvg)).not.toThrow();
    expect(slip.barcodeSvg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(reply.data).toMatchObject({ orderId, slip: { amount } });
    expect(slip.expiresAt).toBe(new Date(clock.now().getTime() + ttlMs).toISOString());
    // A redelivered command gets the same slip, not a second one.
    const again = await replyTo(await send('authorize', orderId));
    expect(again.data['slip']).toEqual(slip);
    expect(await statesOf(orderId, 1)).toEqual(['pending']);
    const [status] = eventsOf(orderId, PaymentStatusChanged.type);
    expect(status?.data).toMatchObject({ method: 'counter', card: null, slip: { paymentCode: slip.paymentCode } });
  });

  it('completes a slip paid through the counter simulator, captures it as a no-op, and refunds it', async () => {
    const { orderId, slip } = await issueSlip();
    const paid = await payAtCounter(slip.paymentCode);
    expect(paid).toMatchObject({ status: 201, body: { status: 'confirmed', refusal: null } });
    const [completed] = await waitFor(() => {
      const found = eventsOf(orderId, PaymentCompleted.type);
      return found.length > 0 ? found : undefined;
    }, 'PaymentCompleted');
    expect(completed?.data).toMatchObject({ orderId, amount, paidAt: clock.now().toISOString() });
    expect(await statesOf(orderId, 2)).toEqual(['pending', 'completed']);

    const captured = await replyTo(await send('capture', orderId));
    expect(captured).toMatchObject({ type: PaymentCaptured.type, data: { orderId, amount } });
    const refunded = await replyTo(await send('refund', orderId));
    expect(refunded).toMatchObject({ type: PaymentRefunded.type, data: { orderId, amount } });
    // Capture changed nothing; the refund did.
    expect(await statesOf(orderId, 3)).toEqual(['pending', 'completed', 'refunded']);
    expect(eventsOf(orderId, PaymentCompleted.type)).toHaveLength(1);
  });

  it('rejects a forged signature, a stale timestamp and a replayed delivery; refuses a wrong amount and an unknown code', async () => {
    const { orderId, slip } = await issueSlip();
    const body = JSON.stringify({ paymentCode: slip.paymentCode, amount });
    const webhook = (headers: Record<string, string>, text = body) =>
      http(paymentUrl, 'POST', '/webhooks/counter-service', text, headers);

    const forged = await webhook(signedHeaders('not-the-secret-at-all', body, newId(), clock.now()));
    expect(forged).toMatchObject({ status: 401, body: { code: 'PAYMENT_WEBHOOK_SIGNATURE_INVALID' } });
    const tampered = await webhook(
      signedHeaders(secret, body, newId(), clock.now()),
      body.replace(String(amount.amount), '1'),
    );
    expect(tampered).toMatchObject({ status: 401, body: { code: 'PAYMENT_WEBHOOK_SIGNATURE_INVALID' } });
    const unsigned = await webhook({ 'content-type': 'application/json' });
    expect(unsigned).toMatchObject({ status: 401, body: { code: 'PAYMENT_WEBHOOK_SIGNATURE_INVALID' } });
    const stale = await webhook(signedHeaders(secret, body, newId(), new Date(clock.now().getTime() - 6 * 60_000)));
    expect(stale).toMatchObject({ status: 401, body: { code: 'PAYMENT_WEBHOOK_TIMESTAMP_STALE' } });

    const wrongAmount = await payAtCounter(slip.paymentCode, amount.amount - 100);
    expect(wrongAmount).toMatchObject({
      status: 422,
      body: { code: 'COUNTER_SERVICE_PAYMENT_REFUSED', billerCode: 'PAYMENT_AMOUNT_MISMATCH' },
    });
    const unknown = await payAtCounter('100000000000009');
    expect(unknown.body).toMatchObject({ billerCode: 'PAYMENT_UNKNOWN_PAYMENT_CODE' });

    const headers = signedHeaders(secret, body, newId(), clock.now());
    expect(await webhook(headers)).toMatchObject({ status: 200, body: { orderId, state: 'completed' } });
    expect(await webhook(headers)).toMatchObject({ status: 409, body: { code: 'PAYMENT_WEBHOOK_REPLAYED' } });
    // The simulator's own replay of a delivery it made is refused the same way.
    const viaCounter = await payAtCounter(slip.paymentCode);
    expect(viaCounter.status).toBe(201);
    const redelivered = await http(counterUrl, 'POST', `/admin/payments/${String(viaCounter.body['id'])}/redeliver`);
    expect(redelivered.body).toEqual({ status: 409, code: 'PAYMENT_WEBHOOK_REPLAYED' });

    expect(await statesOf(orderId, 2)).toEqual(['pending', 'completed']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(eventsOf(orderId, PaymentCompleted.type)).toHaveLength(1);
  });

  it('cancels a pending slip on void, after which the counter refuses the money', async () => {
    const { orderId, slip } = await issueSlip();
    const voided = await replyTo(await send('void', orderId));
    expect(voided).toMatchObject({ type: PaymentVoided.type, data: { orderId, paymentId: expect.any(String) } });
    const refused = await payAtCounter(slip.paymentCode);
    expect(refused).toMatchObject({ status: 422, body: { billerCode: 'PAYMENT_SLIP_CANCELLED' } });
    const shown = await http(counterUrl, 'GET', `/v1/payments/${String(refused.body['paymentId'])}`);
    expect(shown.body).toMatchObject({ status: 'refused', refusal: { code: 'PAYMENT_SLIP_CANCELLED' } });
    expect(await statesOf(orderId, 2)).toEqual(['pending', 'voided']);

    const token = await issuer.tokenFor({ sub: 'invariants', client_id: 'invariants', scope: 'payment:read' });
    const listed = await payment.inject({
      url: `/admin/payments?orderId=${orderId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.json().items).toEqual([
      expect.objectContaining({
        method: 'counter',
        state: 'voided',
        slip: { invoiceNumber: slip.invoiceNumber, paymentCode: slip.paymentCode, expiresAt: slip.expiresAt },
      }),
    ]);
  });

  it('expires unpaid slips once under two sweepers, and the counter refuses a slip past its expiry', async () => {
    const slips = await Promise.all([issueSlip(), issueSlip(), issueSlip()]);
    clock.advance(ttlMs + 1);
    const late = await payAtCounter(slips[0].slip.paymentCode);
    expect(late).toMatchObject({ status: 422, body: { billerCode: 'PAYMENT_SLIP_EXPIRED' } });

    const publisher = createMessaging({ service: 'payment', pool: paymentDb.pool, transport, clock });
    const sweepers = [1, 2].map(() => createSlipExpirySweeper({ messaging: publisher, clock, batchSize: 1 }));
    // Earlier tests left a slip unpaid too: every pending slip expires, each by one sweeper.
    const { rows } = await paymentDb.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM payments WHERE state = 'pending'`,
    );
    expect(rows[0]?.n).toBeGreaterThanOrEqual(3);
    const counts = await Promise.all(sweepers.map((sweeper) => sweeper.sweep()));
    expect(counts[0]! + counts[1]!).toBe(rows[0]?.n);
    expect(await sweepers[0]!.sweep()).toBe(0);

    for (const { orderId } of slips) {
      expect(await statesOf(orderId, 2)).toEqual(['pending', 'expired']);
      const expired = eventsOf(orderId, PaymentExpired.type);
      expect(expired).toHaveLength(1);
      expect(expired[0]?.data).toMatchObject({ orderId, expiredAt: clock.now().toISOString() });
    }
    const voided = await replyTo(await send('void', slips[1].orderId));
    expect(voided.data).toEqual({ orderId: slips[1].orderId });
  });

  it('announces every change of a card payment too: authorized, captured, refunded; declined with its reason', async () => {
    const token = async (number: string) =>
      String(
        (await http(cardsUrl, 'POST', '/v1/tokens', { number, expMonth: 12, expYear: 2040, cvc: '123' })).body['token'],
      );
    const orderId = newId();
    const card = { type: 'card' as const, cardToken: await token(TEST_CARDS.success) };
    expect((await replyTo(await send('authorize', orderId, card))).type).toBe(PaymentAuthorized.type);
    await replyTo(await send('capture', orderId));
    await replyTo(await send('refund', orderId));
    expect(await statesOf(orderId, 3)).toEqual(['authorized', 'captured', 'refunded']);
    expect(eventsOf(orderId, PaymentStatusChanged.type)[0]?.data).toMatchObject({
      method: 'card',
      card: { brand: 'visa', last4: '4242' },
      slip: null,
    });

    const declinedOrder = newId();
    const declinedCard = { type: 'card' as const, cardToken: await token(TEST_CARDS.declined) };
    await replyTo(await send('authorize', declinedOrder, declinedCard));
    expect(await statesOf(declinedOrder, 1)).toEqual(['declined']);
    expect(eventsOf(declinedOrder, PaymentStatusChanged.type)[0]?.data).toMatchObject({ reason: 'DECLINED' });
  });
});
