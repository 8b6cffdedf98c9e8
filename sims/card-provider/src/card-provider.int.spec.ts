import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, type ServiceApp } from '@talad/service';
import { buildCardProviderApp } from './app.ts';
import { TEST_CARDS } from './card-rules.ts';

/** The simulator over real HTTP, as the payment service and the browser call it. */
let app: ServiceApp;
let baseUrl: string;
let keyCounter = 0;

beforeAll(async () => {
  app = await buildCardProviderApp({ logger: createLogger({ service: 'card-provider', level: 'silent' }) });
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});
beforeEach(async () => {
  await call('PUT', '/admin/faults', { latencyMs: 0, failureRate: 0, slowCardDelayMs: 300 });
});
afterAll(async () => {
  await app.close();
});

/** The fields the tests read; the rest is compared with toMatchObject. */
interface Body {
  token: string;
  id: string;
  status: string | number;
  code: string;
  declineCode?: string;
  items: Array<{ id: string; status: string }>;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Body };
}

const newKey = () => `test-${process.pid}-${++keyCounter}`;

async function tokenFor(number: string): Promise<string> {
  const response = await call('POST', '/v1/tokens', { number, expMonth: 12, expYear: 2040, cvc: '123' });
  expect(response.status).toBe(201);
  return response.body.token;
}

async function authorize(token: string, reference: string, key = newKey()) {
  return call(
    'POST',
    '/v1/authorizations',
    { token, amount: 129_900, currency: 'THB', reference },
    { 'idempotency-key': key },
  );
}

describe('card provider simulator', () => {
  it('tokenizes a card for a browser on another origin and shows only brand and last four digits', async () => {
    const preflight = await fetch(`${baseUrl}/v1/tokens`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:8080', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');

    const created = await call('POST', '/v1/tokens', {
      number: '4242 4242 4242 4242',
      expMonth: 12,
      expYear: 2040,
      cvc: '123',
      name: 'Somchai Jaidee',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBe('*');
    expect(created.body).toEqual({
      token: expect.stringMatching(/^tok_/),
      brand: 'visa',
      last4: '4242',
      expMonth: 12,
      expYear: 2040,
    });
    expect(JSON.stringify(created.body)).not.toContain('4242424242424242');
    const read = await call('GET', `/v1/tokens/${created.body.token}`);
    expect(read.body).toEqual(created.body);
    expect((await call('GET', '/v1/tokens/tok_unknown')).body).toMatchObject({
      status: 404,
      code: 'CARD_PROVIDER_UNKNOWN_TOKEN',
    });
  });

  it('refuses a bad card with a 4xx problem naming what is wrong', async () => {
    const luhn = await call('POST', '/v1/tokens', {
      number: '4242424242424241',
      expMonth: 12,
      expYear: 2040,
      cvc: '123',
    });
    expect(luhn.status).toBe(400);
    expect(luhn.headers.get('content-type')).toContain('application/problem+json');
    expect(luhn.body.code).toBe('CARD_PROVIDER_INVALID_CARD_NUMBER');
    const expired = await call('POST', '/v1/tokens', {
      number: TEST_CARDS.success,
      expMonth: 1,
      expYear: 2020,
      cvc: '123',
    });
    expect(expired).toMatchObject({ status: 422, body: { code: 'CARD_PROVIDER_EXPIRED_CARD' } });
    const missing = await call('POST', '/v1/tokens', { number: TEST_CARDS.success });
    expect(missing).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
  });

  it('answers each test card with its outcome, a decline being a business answer with a code', async () => {
    const outcomes = [];
    for (const number of [
      TEST_CARDS.success,
      TEST_CARDS.declined,
      TEST_CARDS.insufficientFunds,
      TEST_CARDS.processingError,
    ]) {
      const response = await authorize(await tokenFor(number), `order-outcome-${number}`);
      expect(response.status).toBe(201);
      outcomes.push([response.body.status, response.body.declineCode]);
    }
    expect(outcomes).toEqual([
      ['authorized', undefined],
      ['declined', 'card_declined'],
      ['declined', 'insufficient_funds'],
      ['declined', 'processing_error'],
    ]);
    const unknown = await authorize('tok_never_issued', 'order-unknown');
    expect(unknown).toMatchObject({ status: 400, body: { code: 'CARD_PROVIDER_UNKNOWN_TOKEN' } });
  });

  it('acts once per idempotency key: the same key replays the same answer, another request under it is refused', async () => {
    const token = await tokenFor(TEST_CARDS.success);
    const key = newKey();
    const first = await authorize(token, 'order-idem', key);
    const again = await authorize(token, 'order-idem', key);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await authorize(token, 'order-other', key);
    expect(other).toMatchObject({ status: 422, body: { code: 'CARD_PROVIDER_IDEMPOTENCY_KEY_REUSED' } });
    const listed = await call('GET', '/v1/authorizations?reference=order-idem');
    expect(listed.body.items).toHaveLength(1);
    const noKey = await call('POST', '/v1/authorizations', { token, amount: 100, currency: 'THB', reference: 'x' });
    expect(noKey).toMatchObject({ status: 400, body: { code: 'CARD_PROVIDER_IDEMPOTENCY_KEY_MISSING' } });
  });

  it('captures then refunds; refuses a void after capture and a refund before it; replays each key', async () => {
    const token = await tokenFor(TEST_CARDS.success);
    const { body: authorization } = await authorize(token, 'order-life');
    const early = await call('POST', `/v1/authorizations/${authorization.id}/refund`, undefined, {
      'idempotency-key': newKey(),
    });
    expect(early).toMatchObject({
      status: 409,
      body: { code: 'CARD_PROVIDER_INVALID_STATE', authorizationStatus: 'authorized' },
    });

    const captureKey = newKey();
    const captured = await call('POST', `/v1/authorizations/${authorization.id}/capture`, undefined, {
      'idempotency-key': captureKey,
    });
    expect(captured).toMatchObject({ status: 200, body: { status: 'captured' } });
    const recaptured = await call('POST', `/v1/authorizations/${authorization.id}/capture`, undefined, {
      'idempotency-key': captureKey,
    });
    expect(recaptured.body).toEqual(captured.body);

    const voided = await call('POST', `/v1/authorizations/${authorization.id}/void`, undefined, {
      'idempotency-key': newKey(),
    });
    expect(voided).toMatchObject({
      status: 409,
      body: { code: 'CARD_PROVIDER_INVALID_STATE', authorizationStatus: 'captured' },
    });
    const refunded = await call('POST', `/v1/authorizations/${authorization.id}/refund`, undefined, {
      'idempotency-key': newKey(),
    });
    expect(refunded).toMatchObject({ status: 200, body: { status: 'refunded', refundedAt: expect.any(String) } });
    expect((await call('GET', `/v1/authorizations/${authorization.id}`)).body.status).toBe('refunded');

    const missing = await call('POST', '/v1/authorizations/auth_none/void', undefined, { 'idempotency-key': newKey() });
    expect(missing).toMatchObject({ status: 404, body: { code: 'CARD_PROVIDER_UNKNOWN_AUTHORIZATION' } });
  });

  it('voids an authorization that was not captured', async () => {
    const { body: authorization } = await authorize(await tokenFor(TEST_CARDS.success), 'order-void');
    const voided = await call('POST', `/v1/authorizations/${authorization.id}/void`, undefined, {
      'idempotency-key': newKey(),
    });
    expect(voided.body).toMatchObject({ status: 'voided', voidedAt: expect.any(String) });
    const capture = await call('POST', `/v1/authorizations/${authorization.id}/capture`, undefined, {
      'idempotency-key': newKey(),
    });
    expect(capture.status).toBe(409);
  });

  it('fails calls without acting while a failure rate is injected at runtime, then recovers', async () => {
    const token = await tokenFor(TEST_CARDS.success);
    await call('PUT', '/admin/faults', { failureRate: 1 });
    const key = newKey();
    const failed = await authorize(token, 'order-fault', key);
    expect(failed).toMatchObject({ status: 503, body: { code: 'CARD_PROVIDER_UNAVAILABLE' } });
    expect((await call('GET', '/health/live')).status).toBe(200);
    await call('PUT', '/admin/faults', { failureRate: 0 });
    expect((await call('GET', '/v1/authorizations?reference=order-fault')).body.items).toHaveLength(0);
    const retried = await authorize(token, 'order-fault', key);
    expect(retried).toMatchObject({ status: 201, body: { status: 'authorized' } });
    expect((await call('GET', '/admin/faults')).body).toEqual({ latencyMs: 0, failureRate: 0, slowCardDelayMs: 300 });
    expect((await call('PUT', '/admin/faults', { failureRate: 2 })).status).toBe(400);
  });

  it('answers the slow card late; a retry with its key meanwhile is told to come back, then gets the one answer', async () => {
    const token = await tokenFor(TEST_CARDS.slow);
    const key = newKey();
    const slow = authorize(token, 'order-slow', key);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const meanwhile = await authorize(token, 'order-slow', key);
    expect(meanwhile).toMatchObject({ status: 409, body: { code: 'CARD_PROVIDER_IDEMPOTENCY_KEY_IN_USE' } });
    const answer = await slow;
    expect(answer).toMatchObject({ status: 201, body: { status: 'authorized' } });
    expect((await authorize(token, 'order-slow', key)).body).toEqual(answer.body);
    expect((await call('GET', '/v1/authorizations?reference=order-slow')).body.items).toHaveLength(1);
  });
});
