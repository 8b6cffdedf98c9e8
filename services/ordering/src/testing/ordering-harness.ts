import { createTestIssuer, type TestIssuer } from '@talad/auth/testing';
import type { Product } from '@talad/contracts-catalog';
import type { ShippingRate } from '@talad/contracts-shipping';
import { migrateMessaging, type Transport } from '@talad/messaging';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { buildOrderingApp } from '../app.ts';
import { createCheckout } from '../checkout/index.ts';
import { migrateOrdering } from '../migrations.ts';
import type { OrderLifecycle } from '../orders/index.ts';
import { createCardTokenCheck } from '../payment/card-tokens.ts';
import { startReplicaBootstrap } from '../replicas/index.ts';
import { startStubServer, type StubServer } from './stub-server.ts';

/**
 * Ordering in-process for its integration tests: a real database with ordering's, the event store's,
 * the saga's and messaging's tables, the real PostgreSQL message log, a token issuer, and stand-ins for
 * the HTTP APIs of catalog (product snapshot), shipping (rates) and payment (card tokens).
 */
export interface OrderingHarness {
  readonly app: ServiceApp;
  readonly db: TestDatabase;
  readonly messageLog: TestDatabase;
  readonly transport: Transport;
  readonly catalog: StubServer;
  readonly shipping: StubServer;
  readonly payment: StubServer;
  /** The order changes the checkout saga's hooks make, on the app's own messaging. */
  readonly orders: OrderLifecycle;
  /** Customer (and optionally admin) tokens for `sub`. */
  bearer(sub: string, roles?: string[]): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export const KNOWN_CARD_TOKEN = 'tok_visa_4242';

function product(id: string, sku: string, name: string, amount: number, sizes: string[]): Product {
  return {
    id,
    sku,
    name,
    description: `${name}, for the test`,
    brand: 'Testbrand',
    category: 'Sneakers',
    price: { amount, currency: 'THB' },
    sizes,
    imageUrl: `/images/${sku}.jpg`,
    rating: null,
    ratingCount: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** What the catalog stand-in's snapshot holds, in id order. */
export const PRODUCTS = {
  runner: product('0190f5c8-0000-7000-8000-000000000001', 'SNK-TST-000001', 'Test Runner', 129_000, ['41', '42']),
  socks: product('0190f5c8-0000-7000-8000-000000000002', 'ACC-TST-000002', 'Plain Socks', 9_900, []),
  cap: product('0190f5c8-0000-7000-8000-000000000003', 'ACC-TST-000003', 'Test Cap', 49_000, []),
} as const;

export const RATES: ShippingRate[] = [
  {
    option: 'standard',
    fee: { amount: 5_000, currency: 'THB' },
    freeFrom: { amount: 100_000, currency: 'THB' },
    estimatedDays: { min: 2, max: 4 },
  },
  { option: 'express', fee: { amount: 15_000, currency: 'THB' }, freeFrom: null, estimatedDays: { min: 1, max: 1 } },
];

export async function startOrderingHarness(prefix: string): Promise<OrderingHarness> {
  const db = await createTestDatabase({ prefix });
  await migrateOrdering(db.pool);
  await migrateMessaging(db.pool);
  const messageLog = await createTestDatabase({ prefix: `${prefix}_log` });
  const transport = createPostgresTransport({ url: messageLog.url });
  const issuer: TestIssuer = await createTestIssuer();

  // The snapshot answers two products a page, so the bootstrap has to follow `next`.
  const snapshot = Object.values(PRODUCTS);
  const catalog = await startStubServer((url) => {
    if (url.pathname !== '/products/snapshot') return { status: 404 };
    const after = url.searchParams.get('after');
    const start = after ? snapshot.findIndex((item) => item.id === after) + 1 : 0;
    const items = snapshot.slice(start, start + 2);
    const next = start + 2 < snapshot.length ? (items.at(-1)?.id ?? null) : null;
    return { status: 200, body: { items, next } };
  });
  const shipping = await startStubServer((url) =>
    url.pathname === '/rates' ? { status: 200, body: { rates: RATES } } : { status: 404 },
  );
  // Like payment, it answers only callers with a bearer token (ordering forwards the customer's).
  const payment = await startStubServer((url, headers) => {
    if (!headers.authorization?.startsWith('Bearer ')) return { status: 401, body: { code: 'AUTH_TOKEN_MISSING' } };
    return url.pathname === `/card-tokens/${KNOWN_CARD_TOKEN}`
      ? { status: 200, body: { brand: 'visa', last4: '4242' } }
      : { status: 404, body: { code: 'PAYMENT_UNKNOWN_CARD_TOKEN' } };
  });

  const logger = createLogger({ service: 'ordering', level: 'silent' });
  const bootstrap = startReplicaBootstrap({
    pool: db.pool,
    catalogUrl: catalog.url,
    shippingUrl: shipping.url,
    logger,
    retryDelayMs: 50,
  });
  await bootstrap.done;
  let orders: OrderLifecycle | undefined;
  const app = await buildOrderingApp({
    pool: db.pool,
    transport,
    verifier: issuer.verifier,
    checkout: (wiring) => {
      orders = wiring.orders;
      return createCheckout(wiring);
    },
    checkCardToken: createCardTokenCheck({ paymentUrl: payment.url }),
    logger,
  });
  await app.ready();
  if (!orders) throw new Error('the app did not build its checkout');

  return {
    app,
    db,
    messageLog,
    transport,
    catalog,
    shipping,
    payment,
    orders,
    bearer: async (sub, roles = ['customer']) => ({ authorization: `Bearer ${await issuer.tokenFor({ sub, roles })}` }),
    close: async () => {
      await app.close();
      await transport.close();
      await Promise.all([catalog.close(), shipping.close(), payment.close()]);
      await db.drop();
      await messageLog.drop();
    },
  };
}
