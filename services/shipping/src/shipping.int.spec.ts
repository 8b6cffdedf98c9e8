import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMessaging, type Transport } from '@talad/messaging';
import { observeTopic, type ObservedMessage, type ObservedTopic } from '@talad/messaging/testing';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { buildShippingApp } from './app.ts';
import { createCourierClient } from './courier/courier-client.ts';
import { migrationsDirectory } from './migrations.ts';
import { createTestIssuer, type TestIssuer } from '@talad/auth/testing';

/** Shipping through its HTTP API, on a real database, with its events read back from a real message log. */
let db: TestDatabase;
let messageLog: TestDatabase;
let transport: Transport;
let observer: ObservedTopic<RatesChanged>;
let issuer: TestIssuer;
let app: ServiceApp;
// Rates never reach the courier; shipments (and the courier) are tested in shipments.int.spec.ts.
const secret = 'rates-tests-never-sign-anything';
const courier = {
  client: createCourierClient({
    baseUrl: 'http://127.0.0.1:9',
    callbackUrl: 'http://127.0.0.1:9',
    callbackSecret: secret,
  }),
  updateSecret: secret,
};
interface RatesChanged {
  rates: Array<{ option: string; fee: { amount: number } }>;
}
let announced: Array<ObservedMessage<RatesChanged>>;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'shipping_http', migrations: migrationsDirectory });
  await migrateMessaging(db.pool);
  messageLog = await createTestDatabase({ prefix: 'shipping_log' });
  transport = createPostgresTransport({ url: messageLog.url });
  // Another service's view of shipping's events, subscribed before shipping starts (a group starts at "now").
  observer = await observeTopic<RatesChanged>(transport, 'shipping.events');
  announced = observer.messages;
  issuer = await createTestIssuer();
  app = await buildShippingApp({
    pool: db.pool,
    transport,
    verifier: issuer.verifier,
    courier,
    logger: createLogger({ service: 'shipping', level: 'silent' }),
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await observer.stop();
  await transport.close();
  await db.drop();
  await messageLog.drop();
});

async function eventually(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 100 && !check(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const admin = async () => ({ authorization: `Bearer ${await issuer.tokenFor({ sub: 'admin-1', roles: ['admin'] })}` });

describe('shipping rates and quotes', () => {
  it('announces the opening rate table once, on the first start', async () => {
    await eventually(() => announced.length >= 1);
    expect(announced[0]?.type).toBe('shipping.ShippingRatesChanged.v1');
    expect(announced[0]?.data.rates.map((rate) => [rate.option, rate.fee.amount])).toEqual([
      ['standard', 5_000],
      ['express', 12_000],
    ]);
    // A second instance on the same database (a restart) does not announce again.
    const again = await buildShippingApp({
      pool: db.pool,
      transport,
      verifier: issuer.verifier,
      courier,
      logger: createLogger({ service: 'shipping', level: 'silent' }),
    });
    await again.ready();
    await again.close();
    // Had it announced, its message would be in its outbox, in the log, or (between the two) in both.
    const pending = await db.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM outbox');
    const logged = await messageLog.pool.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM message_log WHERE topic = 'shipping.events'",
    );
    expect((pending.rows[0]?.count ?? 0) + (logged.rows[0]?.count ?? 0)).toBe(1);
    expect(announced).toHaveLength(1);
  });

  it('lists the rate table in the shape replicas bootstrap from', async () => {
    const response = await app.inject('/rates');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      rates: [
        {
          option: 'standard',
          fee: { amount: 5_000, currency: 'THB' },
          freeFrom: { amount: 100_000, currency: 'THB' },
          estimatedDays: { min: 2, max: 4 },
        },
        {
          option: 'express',
          fee: { amount: 12_000, currency: 'THB' },
          freeFrom: null,
          estimatedDays: { min: 1, max: 1 },
        },
      ],
    });
  });

  it('quotes every fee below the free-shipping threshold, and free standard from it', async () => {
    const below = (await app.inject('/quote?subtotal=99999')).json();
    expect(below.subtotal).toEqual({ amount: 99_999, currency: 'THB' });
    expect(below.options.map((option: { fee: { amount: number } }) => option.fee.amount)).toEqual([5_000, 12_000]);
    const from = await app.inject('/quote?subtotal=100000');
    expect(from.statusCode).toBe(200);
    expect(from.json().options).toEqual([
      { option: 'standard', fee: { amount: 0, currency: 'THB' }, estimatedDays: { min: 2, max: 4 } },
      { option: 'express', fee: { amount: 12_000, currency: 'THB' }, estimatedDays: { min: 1, max: 1 } },
    ]);
  });

  it.each(['', 'subtotal=', 'subtotal=-1', 'subtotal=12.5', 'subtotal=1e3', 'subtotal=abc', 'subtotal=1&x=2'])(
    'answers the quote ?%s with 400 problem+json',
    async (query) => {
      const response = await app.inject(`/quote?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().code).toBe('INVALID_REQUEST');
    },
  );
});

describe('shipping rate administration', () => {
  const newTable = {
    rates: [
      {
        option: 'express',
        fee: { amount: 15_000, currency: 'THB' },
        freeFrom: { amount: 500_000, currency: 'THB' },
        estimatedDays: { min: 1, max: 2 },
      },
      {
        option: 'standard',
        fee: { amount: 4_000, currency: 'THB' },
        freeFrom: { amount: 80_000, currency: 'THB' },
        estimatedDays: { min: 2, max: 5 },
      },
    ],
  };

  it('refuses anonymous callers with 401 and customers with 403', async () => {
    const anonymous = await app.inject({ method: 'PUT', url: '/admin/rates', payload: newTable });
    expect(anonymous.statusCode).toBe(401);
    const customer = await issuer.tokenFor({ sub: 'u-1', roles: ['customer'] });
    const forbidden = await app.inject({
      method: 'PUT',
      url: '/admin/rates',
      payload: newTable,
      headers: { authorization: `Bearer ${customer}` },
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it.each([
    ['the same option twice', { rates: [newTable.rates[1], newTable.rates[1]] }, 'SHIPPING_DUPLICATE_OPTION'],
    [
      'delivery days the wrong way round',
      { rates: [{ ...newTable.rates[1], estimatedDays: { min: 5, max: 2 } }] },
      'SHIPPING_INVALID_DELIVERY_DAYS',
    ],
    ['an empty table', { rates: [] }, 'INVALID_REQUEST'],
    ['a negative fee', { rates: [{ ...newTable.rates[1], fee: { amount: -1, currency: 'THB' } }] }, 'INVALID_REQUEST'],
    ['an unknown option', { rates: [{ ...newTable.rates[1], option: 'drone' }] }, 'INVALID_REQUEST'],
  ])('answers %s with 400 %s and changes nothing', async (_name, payload, code) => {
    const response = await app.inject({ method: 'PUT', url: '/admin/rates', payload, headers: await admin() });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe(code);
    expect(
      (await app.inject('/rates')).json().rates.map((rate: { fee: { amount: number } }) => rate.fee.amount),
    ).toEqual([5_000, 12_000]);
  });

  it('replaces the table and publishes the new one as ShippingRatesChanged', async () => {
    const client = {
      authorization: `Bearer ${await issuer.tokenFor({ sub: 'talad-admin', client_id: 'talad-admin', scope: 'shipping:write' })}`,
    };
    const response = await app.inject({ method: 'PUT', url: '/admin/rates', payload: newTable, headers: client });
    expect(response.statusCode).toBe(200);
    // Shown in display order, whatever order they were sent in.
    expect(response.json().rates.map((rate: { option: string }) => rate.option)).toEqual(['standard', 'express']);
    expect((await app.inject('/rates')).json()).toEqual(response.json());
    const quote = (await app.inject('/quote?subtotal=80000')).json();
    expect(quote.options.map((option: { fee: { amount: number } }) => option.fee.amount)).toEqual([0, 15_000]);

    await eventually(() => announced.length >= 2);
    expect(announced).toHaveLength(2);
    expect(announced[1]?.type).toBe('shipping.ShippingRatesChanged.v1');
    expect(announced[1]?.data.rates).toEqual(response.json().rates);
  });
});
