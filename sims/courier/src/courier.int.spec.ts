import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type ServiceApp } from '@talad/service';
import { buildCourierApp } from './app.ts';
import { SIGNATURE_HEADER } from './signature.ts';

/** The simulator over real HTTP, booked as shipping books it, calling back a real receiver. */
const SECRET = 'a-secret-the-sender-chose';

interface Received {
  reference: string;
  status: string;
  eventId: string;
  validSignature: boolean;
}

let courier: ServiceApp;
let baseUrl: string;
let receiver: Server;
let callbackUrl: string;
const received: Received[] = [];
/** What the receiver answers, per reference and status (200 by default); a list is used up in order. */
const answers = new Map<string, number[]>();

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const update = JSON.parse(body) as { reference: string; status: string; eventId: string };
      const [, timestamp, digest] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers[SIGNATURE_HEADER])) ?? [];
      const expected = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex');
      received.push({ ...update, validSignature: digest === expected });
      const planned = answers.get(`${update.reference}/${update.status}`);
      response.writeHead(planned?.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/updates`;
  courier = await buildCourierApp({
    pace: { stepMs: 100 },
    logger: createLogger({ service: 'courier', level: 'silent' }),
  });
  baseUrl = await courier.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await courier.close();
  await new Promise((resolve) => receiver.close(resolve));
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const address = {
  name: 'Somchai Jaidee',
  phone: '0812345678',
  line1: '99 Sukhumvit Road',
  subdistrict: 'Khlong Toei',
  district: 'Khlong Toei',
  province: 'Bangkok',
  postalCode: '10110',
};
const book = (reference: string) =>
  call('POST', '/v1/pickups', { reference, address, callbackUrl, callbackSecret: SECRET });

async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const updatesOf = (reference: string) => received.filter((update) => update.reference === reference);
const statusAt = async (reference: string) => (await call('GET', `/v1/pickups/${reference}`)).body['status'];

describe('the courier simulator', () => {
  it('reports dispatched, in transit and delivered, in order, each signed with the secret given at booking', async () => {
    const reference = randomUUID();
    const booked = await book(reference);
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ reference, status: 'booked' });
    await eventually(async () => (await statusAt(reference)) === 'delivered', 'delivery');
    const updates = updatesOf(reference);
    expect(updates.map((update) => update.status)).toEqual(['dispatched', 'in_transit', 'delivered']);
    expect(updates.every((update) => update.validSignature)).toBe(true);
    const pickup = await call('GET', `/v1/pickups/${reference}`);
    expect((pickup.body['history'] as Array<{ status: string }>).map((entry) => entry.status)).toEqual([
      'booked',
      'dispatched',
      'in_transit',
      'delivered',
    ]);
  });

  it('books once per reference', async () => {
    const reference = randomUUID();
    const first = await book(reference);
    const second = await book(reference);
    expect(second.status).toBe(200);
    expect(second.body['id']).toBe(first.body['id']);
    const list = await call('GET', '/v1/pickups');
    expect(
      (list.body['items'] as Array<{ reference: string }>).filter((item) => item.reference === reference),
    ).toHaveLength(1);
  });

  it('sends a failed update again, signed afresh, until the sender acknowledges it', async () => {
    const reference = randomUUID();
    answers.set(`${reference}/dispatched`, [503]);
    await book(reference);
    await eventually(async () => (await statusAt(reference)) === 'delivered', 'delivery after a retry');
    const dispatched = updatesOf(reference).filter((update) => update.status === 'dispatched');
    expect(dispatched).toHaveLength(2);
    // The same update (one event id) under two signatures, made a second apart.
    expect(dispatched[0]?.eventId).toBe(dispatched[1]?.eventId);
    expect(dispatched.every((update) => update.validSignature)).toBe(true);
  });

  it('leaves the parcel when the sender refuses the dispatch with 410', async () => {
    const reference = randomUUID();
    answers.set(`${reference}/dispatched`, [410]);
    await book(reference);
    await eventually(async () => (await statusAt(reference)) === 'cancelled', 'the refused handover');
    expect(updatesOf(reference).map((update) => update.status)).toEqual(['dispatched']);
  });

  it('calls off a pickup before dispatch, and refuses to after', async () => {
    await call('PUT', '/admin/pace', { stepMs: 60_000 });
    const early = randomUUID();
    await book(early);
    await call('PUT', '/admin/pace', { stepMs: 100 });
    const cancelled = await call('POST', `/v1/pickups/${early}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body['status']).toBe('cancelled');
    expect((await call('POST', `/v1/pickups/${early}/cancel`, {})).status).toBe(200);

    const late = randomUUID();
    await book(late);
    await eventually(() => updatesOf(late).length > 0, 'dispatch');
    await eventually(async () => (await statusAt(late)) !== 'booked', 'the acknowledged dispatch');
    const refused = await call('POST', `/v1/pickups/${late}/cancel`, {});
    expect(refused.status).toBe(409);
    expect(refused.body['code']).toBe('COURIER_ALREADY_DISPATCHED');
    expect(updatesOf(early)).toEqual([]);
  });

  it('keeps a reference cancelled before it was booked off, and refuses bad bookings with 400', async () => {
    const reference = randomUUID();
    expect((await call('POST', `/v1/pickups/${reference}/cancel`, {})).status).toBe(200);
    const booked = await book(reference);
    expect(booked.body['status']).toBe('cancelled');
    const bad = await call('POST', '/v1/pickups', { reference, address, callbackUrl: 'nope', callbackSecret: SECRET });
    expect(bad.status).toBe(400);
    expect(bad.body['code']).toBe('INVALID_REQUEST');
    expect((await call('GET', `/v1/pickups/${randomUUID()}`)).body['code']).toBe('COURIER_UNKNOWN_PICKUP');
  });
});
