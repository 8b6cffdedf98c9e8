import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type ServiceApp } from '@talad/service';
import { buildCounterServiceApp } from './app.ts';
import { signDelivery, WEBHOOK_HEADERS } from './signature.ts';

/**
 * The simulator over real HTTP against a stand-in biller that records every delivery and answers what
 * the test says: the signature must hold over the exact bytes, refusals carry the biller's reason, and a
 * redelivery is the same bytes under the same headers.
 */
const secret = 'a-secret-shared-with-the-biller';
const code = '482019374650121';
let biller: Server;
let counter: ServiceApp;
let counterUrl: string;
let answer: { status: number; body: unknown } = { status: 200, body: {} };
const deliveries: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  biller = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      deliveries.push({ headers: request.headers, body });
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => biller.listen(0, '127.0.0.1', resolve));
  const { port } = biller.address() as AddressInfo;
  counter = await buildCounterServiceApp({
    webhookUrl: `http://127.0.0.1:${port}/webhooks/counter-service`,
    secret,
    logger: createLogger({ service: 'counter-service', level: 'silent' }),
  });
  counterUrl = await counter.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await counter.close();
  await new Promise((resolve) => biller.close(resolve));
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${counterUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the counter-service simulator', () => {
  it('confirms a payment to the biller with a delivery signed over its exact body and timestamp', async () => {
    answer = { status: 200, body: { state: 'completed' } };
    const paid = await call('POST', '/v1/payments', { paymentCode: code, amount: 45_900 });
    expect(paid).toMatchObject({ status: 201, body: { status: 'confirmed', paymentCode: code, refusal: null } });
    const delivery = deliveries.at(-1);
    const timestamp = String(delivery?.headers[WEBHOOK_HEADERS.timestamp]);
    expect(delivery?.headers[WEBHOOK_HEADERS.signature]).toBe(signDelivery(secret, timestamp, delivery?.body ?? ''));
    expect(delivery?.headers[WEBHOOK_HEADERS.deliveryId]).toBe(paid.body['deliveryId']);
    expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({
      paymentCode: code,
      amount: { amount: 45_900, currency: 'THB' },
    });
  });

  it("refuses what the biller refuses, showing the biller's reason, and lists it", async () => {
    answer = { status: 422, body: { code: 'PAYMENT_SLIP_EXPIRED', detail: 'the slip expired' } };
    const refused = await call('POST', '/v1/payments', { paymentCode: code, amount: 45_900 });
    expect(refused).toMatchObject({
      status: 422,
      body: { code: 'COUNTER_SERVICE_PAYMENT_REFUSED', billerCode: 'PAYMENT_SLIP_EXPIRED' },
    });
    const listed = await call('GET', '/v1/payments');
    expect((listed.body['items'] as unknown[])[0]).toMatchObject({
      status: 'refused',
      refusal: { code: 'PAYMENT_SLIP_EXPIRED', detail: 'the slip expired' },
    });
  });

  it('keeps nothing when the biller fails, and refuses a malformed code before calling it', async () => {
    answer = { status: 503, body: {} };
    const before = (await call('GET', '/v1/payments')).body['items'] as unknown[];
    const failed = await call('POST', '/v1/payments', { paymentCode: code, amount: 100 });
    expect(failed).toMatchObject({ status: 502, body: { code: 'COUNTER_SERVICE_BILLER_UNAVAILABLE' } });
    expect((await call('GET', '/v1/payments')).body['items']).toHaveLength(before.length);
    const sent = deliveries.length;
    expect((await call('POST', '/v1/payments', { paymentCode: '123', amount: 100 })).status).toBe(400);
    expect(deliveries).toHaveLength(sent);
  });

  it('redelivers a payment byte for byte, under the same delivery id and signature', async () => {
    answer = { status: 200, body: {} };
    const paid = await call('POST', '/v1/payments', { paymentCode: code, amount: 700 });
    const original = deliveries.at(-1);
    answer = { status: 409, body: { code: 'PAYMENT_WEBHOOK_REPLAYED' } };
    const again = await call('POST', `/admin/payments/${String(paid.body['id'])}/redeliver`);
    expect(again.body).toEqual({ status: 409, code: 'PAYMENT_WEBHOOK_REPLAYED' });
    const replay = deliveries.at(-1);
    expect(replay?.body).toBe(original?.body);
    for (const header of Object.values(WEBHOOK_HEADERS))
      expect(replay?.headers[header]).toBe(original?.headers[header]);
    expect((await call('POST', '/admin/payments/cp_unknown/redeliver')).status).toBe(404);
  });
});
