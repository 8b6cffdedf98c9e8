/**
 * The checkout's real participants in one process, for consistency tests: identity, inventory, payment
 * (with the card provider simulator on an ephemeral port) and ordering, each built by its own
 * `build…App` on a throw-away database of its own and with its own messaging instance and transport,
 * all on one broker (the PostgreSQL message log, RabbitMQ or NATS JetStream). Catalog and shipping,
 * which checkout does not talk to, are stand-ins serving the product snapshot and the rates.
 *
 * @example
 * const system = await startCheckoutSystem({ transport: postgresLog(), products: [testProduct(1)] });
 * const shopper = await system.customer();
 * const placed = await system.placeOrder(shopper, { lines: [{ productId, quantity: 1 }], cardToken });
 * const order = await system.settled(placed.json().orderId);
 */
import type { TestIssuer } from '@talad/auth/testing';
import { createTestIssuer } from '@talad/auth/testing';
import { buildCardProviderApp, TEST_CARDS, type Faults } from '@talad/card-provider-sim';
import type { Product } from '@talad/contracts-catalog';
import type { OrderView, PlaceOrderRequest } from '@talad/contracts-ordering';
import { newId } from '@talad/core';
import { buildIdentityApp, migrationsDirectory as identityMigrations, prepareIdentity } from '@talad/identity';
import { buildInventoryApp, migrationsDirectory as inventoryMigrations } from '@talad/inventory';
import { migrateMessaging, type Transport, type TransportMessage } from '@talad/messaging';
import { eventually } from '@talad/messaging/testing';
import { buildOrderingApp, migrateOrdering } from '@talad/ordering';
import { buildPaymentApp, createProviderClient, migrationsDirectory as paymentMigrations } from '@talad/payment';
import { createPool, migrate, type Pool } from '@talad/pg';
import type { SagaInstanceView } from '@talad/saga';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import type { Facts } from '../../tools/talad/src/check-invariants-rules.ts';
import { createPasswordHasher } from '../../services/identity/src/passwords/index.ts';
import { TEST_SETTINGS } from '../../services/identity/src/testing/identity-harness.ts';
import { startSnapshotCatalog, type SnapshotCatalog } from '../../services/inventory/src/testing/snapshot-catalog.ts';
import { createCheckout, type CheckoutTimings } from '../../services/ordering/src/checkout/index.ts';
import { createCardTokenCheck } from '../../services/ordering/src/payment/card-tokens.ts';
import { startReplicaBootstrap } from '../../services/ordering/src/replicas/index.ts';
import { RATES } from '../../services/ordering/src/testing/ordering-harness.ts';
import { startStubServer, type StubServer } from '../../services/ordering/src/testing/stub-server.ts';
import { SAMPLE_ADDRESS } from '@talad/contracts-common/testing';

/** The broker a run uses: every service gets a transport of its own from `make`. */
export interface TransportSetup {
  /** As the messaging suites name it: `the PostgreSQL message log`, `RabbitMQ`, `NATS JetStream`. */
  readonly name: string;
  make(): Promise<Transport>;
  /** Deletes what the run declared on the broker (its queues, streams or log database). */
  dispose(): Promise<void>;
}

export type ParticipantName = 'identity' | 'inventory' | 'payment' | 'ordering';

/** One participant: its database, its app as it runs now, and every message it ever published. */
export interface Participant {
  readonly name: ParticipantName;
  readonly db: TestDatabase;
  /** The app's pool (the test's own queries go through `db.pool`). */
  readonly pool: Pool;
  readonly app: ServiceApp;
  /** What the service's transport published, in order, across restarts. */
  readonly published: readonly TransportMessage[];
  readonly running: boolean;
  /** Closes the app and its transport, as a process that is down: it answers nothing meanwhile. */
  stop(): Promise<void>;
  /** Builds the app again on the same database with a new transport, and waits until it is ready. */
  start(): Promise<void>;
}

export interface Shopper {
  readonly id: string;
  readonly headers: { authorization: string };
}

export type TestCard = keyof typeof TEST_CARDS;

export interface OrderRequest {
  lines: PlaceOrderRequest['lines'];
  cardToken: string;
  /** Defaults to a fresh key. */
  idempotencyKey?: string;
}

/** The answer to `POST /orders` as `inject` gives it: 202 with the order id, or a problem. */
export interface Answer {
  readonly statusCode: number;
  readonly body: string;
  json(): { orderId: string; status: string; code?: string };
}

export interface CheckoutSystemOptions {
  transport: TransportSetup;
  /** What catalog's snapshot holds: ordering prices them, inventory seeds their stock. */
  products: Product[];
  /** Checkout's deadlines; tests make them short. */
  timings?: Partial<CheckoutTimings>;
  /** The simulator's faults at start. */
  faults?: Partial<Faults>;
  /** Deadline of one call from payment to the provider. */
  providerTimeoutMs?: number;
}

export interface CheckoutSystem {
  readonly identity: Participant;
  readonly inventory: Participant;
  readonly payment: Participant;
  readonly ordering: Participant;
  /** Ordering on a real socket: `http://127.0.0.1:<port>`. */
  readonly orderingUrl: string;
  readonly providerUrl: string;
  readonly issuer: TestIssuer;
  /** Called as ordering is about to send an answer (after the request's transaction committed). */
  beforeOrderingAnswers(
    hook: ((request: { method: string; headers: Record<string, unknown> }) => void) | undefined,
  ): void;
  /** A customer signed up at identity, with a bearer token for them. */
  customer(): Promise<Shopper>;
  adminHeaders(): Promise<{ authorization: string }>;
  /** A card tokenized at the provider, as the browser does. */
  cardToken(card: TestCard): Promise<string>;
  placeOrder(shopper: Shopper, request: OrderRequest): Promise<Answer>;
  order(orderId: string): Promise<OrderView>;
  /** The order once it is no longer pending. */
  settled(orderId: string, timeoutMs?: number): Promise<OrderView>;
  saga(orderId: string): Promise<SagaInstanceView>;
  setStock(productId: string, onHand: number): Promise<void>;
  stock(productId: string): Promise<{ onHand: number; reserved: number; available: number }>;
  reservation(
    orderId: string,
  ): Promise<{ state: string; lines: Array<{ productId: string; quantity: number }> } | null>;
  paymentOf(orderId: string): Promise<{ state: string } | null>;
  /** What the provider's books say about an order (its reference). */
  authorizations(orderId: string): Promise<Array<{ id: string; status: string }>>;
  setFaults(faults: Partial<Faults>): Promise<void>;
  /** Publishes raw messages straight to the broker, through a transport of the test's own. */
  inject(messages: readonly TransportMessage[]): Promise<void>;
  /** Whether `participant`'s consumers handled (recorded in their inbox) the message with this CloudEvent id. */
  handled(participant: Participant, messageId: string): Promise<boolean>;
  /** Messages ordering's consumers took and dropped as already handled (its inbox), since ordering started. */
  consumedDuplicates(): Promise<number>;
  /** Everything CONSISTENCY.md's invariants are checked on, read from the services' admin views. */
  facts(): Promise<Facts>;
  close(): Promise<void>;
}

const logLevel = process.env['TEST_LOG_LEVEL'] ?? 'silent';
const loggerFor = (service: string) => createLogger({ service, level: logLevel });

/** Payment retries a command its provider could not answer quickly and for long, so tests never dead-letter one. */
const PAYMENT_COMMAND_RETRY = { attempts: 100, initialDelayMs: 100, maxDelayMs: 400 };

export async function startCheckoutSystem(options: CheckoutSystemOptions): Promise<CheckoutSystem> {
  const { transport: setup } = options;
  const closers: Array<() => Promise<unknown>> = [];
  const issuer = await createTestIssuer();

  const catalog: SnapshotCatalog = await startSnapshotCatalog(options.products);
  const shipping: StubServer = await startStubServer((url) =>
    url.pathname === '/rates' ? { status: 200, body: { rates: RATES } } : { status: 404 },
  );
  closers.push(
    () => catalog.close(),
    () => shipping.close(),
  );

  const provider = await buildCardProviderApp({ faults: options.faults ?? {}, logger: loggerFor('card-provider') });
  const providerUrl = await provider.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => provider.close());

  const participants: Participant[] = [];

  // identity: real accounts, so VerifyCustomer has someone to verify; tokens come from the test issuer.
  const hasher = createPasswordHasher({ N: 2 ** 12, r: 8, p: 1 });
  const identity = await participant('identity', setup, participants, {
    prepare: async (db) => {
      await migrateDirectory(db, identityMigrations);
      await prepareIdentity({
        pool: db.pool,
        hasher,
        logger: loggerFor('identity'),
        config: {
          ADMIN_EMAIL: 'admin@talad.test',
          ADMIN_PASSWORD: 'Admin password 2026',
          ADMIN_CLIENT_SECRET: 'talad-admin-client-secret-for-tests',
          SIGNING_KEY_SECRET: TEST_SETTINGS.signingKeySecret,
        },
      });
    },
    build: (pool, transport) =>
      buildIdentityApp({ pool, transport, hasher, settings: TEST_SETTINGS, logger: loggerFor('identity') }),
  });

  const inventory = await participant('inventory', setup, participants, {
    prepare: (db) => migrateDirectory(db, inventoryMigrations),
    build: (pool, transport) =>
      buildInventoryApp({
        pool,
        transport,
        verifier: issuer.verifier,
        catalogUrl: catalog.url,
        logger: loggerFor('inventory'),
        // Reservations outlive every test: expiry is not what these tests are about.
        sweepIntervalMs: 0,
        bootstrapRetryDelayMs: 50,
      }),
    ready: async (app) => {
      await eventually(
        async () => (await app.inject('/health/ready')).statusCode,
        (status) => status === 200,
        { what: 'inventory to seed its stock' },
      );
    },
  });

  const providerClient = createProviderClient({
    baseUrl: providerUrl,
    timeoutMs: options.providerTimeoutMs ?? 3_000,
    // An open circuit is short-lived here, so a provider that is back is used again at once.
    breaker: { openMs: 200 },
    logger: loggerFor('payment'),
  });
  const payment = await participant('payment', setup, participants, {
    prepare: (db) => migrateDirectory(db, paymentMigrations),
    build: (pool, transport) =>
      buildPaymentApp({
        pool,
        transport,
        verifier: issuer.verifier,
        provider: providerClient,
        logger: loggerFor('payment'),
        commandRetry: PAYMENT_COMMAND_RETRY,
      }),
    // Ordering checks card tokens with payment over HTTP while the customer waits.
    listen: true,
  });

  let answerHook: ((request: { method: string; headers: Record<string, unknown> }) => void) | undefined;
  const ordering = await participant('ordering', setup, participants, {
    prepare: async (db) => {
      await migrateOrdering(db.pool);
      const bootstrap = startReplicaBootstrap({
        pool: db.pool,
        catalogUrl: catalog.url,
        shippingUrl: shipping.url,
        logger: loggerFor('ordering'),
        retryDelayMs: 50,
      });
      await bootstrap.done;
    },
    build: async (pool, transport) => {
      const app = await buildOrderingApp({
        pool,
        transport,
        verifier: issuer.verifier,
        checkout: (wiring) =>
          createCheckout({
            ...wiring,
            ...(options.timings ? { timings: options.timings } : {}),
            sweepIntervalMs: 100,
          }),
        checkCardToken: createCardTokenCheck({ paymentUrl: payment.url ?? '' }),
        logger: loggerFor('ordering'),
      });
      app.addHook('onSend', async (request) => {
        answerHook?.({ method: request.method, headers: request.headers });
      });
      return app;
    },
    listen: true,
  });

  let injector: Transport | undefined;
  const adminHeaders = async () => ({
    authorization: `Bearer ${await issuer.tokenFor({ sub: newId(), roles: ['admin'] })}`,
  });
  const getJson = async <T>(app: ServiceApp, url: string): Promise<T> => {
    const response = await app.inject({ method: 'GET', url, headers: await adminHeaders() });
    if (response.statusCode !== 200) throw new Error(`GET ${url} answered ${response.statusCode}: ${response.body}`);
    return response.json<T>();
  };
  const providerJson = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(`${providerUrl}${path}`, init);
    if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status}`);
    return (await response.json()) as T;
  };

  const system: CheckoutSystem = {
    identity,
    inventory,
    payment,
    ordering,
    orderingUrl: ordering.url ?? '',
    providerUrl,
    issuer,
    beforeOrderingAnswers(hook) {
      answerHook = hook;
    },
    async customer() {
      const id = newId();
      const response = await identity.app.inject({
        method: 'POST',
        url: '/sign-up',
        payload: { email: `shopper-${id}@example.com`, password: 'Sawasdee 2026', name: 'Somchai Jaidee' },
      });
      if (response.statusCode !== 201) throw new Error(`sign-up answered ${response.statusCode}: ${response.body}`);
      const { id: customerId } = response.json<{ id: string }>();
      return {
        id: customerId,
        headers: { authorization: `Bearer ${await issuer.tokenFor({ sub: customerId, roles: ['customer'] })}` },
      };
    },
    adminHeaders,
    async cardToken(card) {
      const { token } = await providerJson<{ token: string }>('/v1/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ number: TEST_CARDS[card], expMonth: 12, expYear: 2035, cvc: '123' }),
      });
      return token;
    },
    placeOrder: (shopper, request) =>
      ordering.app.inject({
        method: 'POST',
        url: '/orders',
        headers: { ...shopper.headers, 'idempotency-key': request.idempotencyKey ?? newId() },
        payload: orderBody(request),
      }),
    order: (orderId) => getJson<OrderView>(ordering.app, `/orders/${orderId}`),
    settled: (orderId, timeoutMs = 45_000) =>
      eventually(
        () => system.order(orderId),
        (order) => order.status !== 'pending',
        { what: `order ${orderId} to settle`, timeoutMs, intervalMs: 50 },
      ),
    saga: (orderId) => getJson<SagaInstanceView>(ordering.app, `/admin/sagas/${orderId}`),
    async setStock(productId, onHand) {
      const response = await inventory.app.inject({
        method: 'PUT',
        url: `/admin/stock/${productId}`,
        headers: await adminHeaders(),
        payload: { onHand },
      });
      if (response.statusCode !== 200)
        throw new Error(`setting stock answered ${response.statusCode}: ${response.body}`);
    },
    stock: (productId) => getJson(inventory.app, `/admin/stock/${productId}`),
    async reservation(orderId) {
      const { items } = await getJson<{ items: Array<{ state: string; lines: [] }> }>(
        inventory.app,
        `/admin/reservations?orderId=${orderId}`,
      );
      return items[0] ?? null;
    },
    async paymentOf(orderId) {
      const { items } = await getJson<{ items: Array<{ state: string }> }>(
        payment.app,
        `/admin/payments?orderId=${orderId}`,
      );
      return items[0] ?? null;
    },
    async authorizations(orderId) {
      const { items } = await providerJson<{ items: Array<{ id: string; status: string }> }>(
        `/v1/authorizations?reference=${orderId}`,
      );
      return items;
    },
    async setFaults(faults) {
      await providerJson('/admin/faults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(faults),
      });
    },
    async inject(messages) {
      injector ??= await setup.make();
      await injector.publish(messages);
    },
    async handled(participant, messageId) {
      const { rows } = await participant.db.pool.query('SELECT 1 FROM inbox WHERE message_id = $1', [messageId]);
      return rows.length > 0;
    },
    async consumedDuplicates() {
      const metric = ordering.app.metricsRegistry.getSingleMetric('messaging_consumed_total');
      if (!metric) return 0;
      const { values } = await metric.get();
      return values
        .filter((value) => value.labels['outcome'] === 'duplicate')
        .reduce((sum, value) => sum + value.value, 0);
    },
    async facts() {
      // Ordering first: whatever the others hold must belong to an order it already reports.
      const orderingFacts = await getJson<Facts['ordering']>(ordering.app, '/admin/consistency');
      const [inventoryFacts, paymentFacts, provided, messaging] = await Promise.all([
        getJson<Facts['inventory']>(inventory.app, '/admin/consistency'),
        getJson<Facts['payment']>(payment.app, '/admin/consistency'),
        providerJson<{ items: Facts['provider'] }>('/v1/authorizations'),
        Promise.all(participants.map(messagingFact)),
      ]);
      return {
        ordering: orderingFacts,
        inventory: inventoryFacts,
        payment: paymentFacts,
        provider: provided.items,
        messaging,
      };
    },
    async close() {
      await injector?.close();
      for (const each of [...participants].reverse()) await each.stop().catch(() => undefined);
      await Promise.allSettled(closers.map((close) => close()));
      for (const each of participants) {
        await each.pool.end().catch(() => undefined);
        await each.db.drop().catch(() => undefined);
      }
      await setup.dispose();
    },
  };
  return system;
}

function orderBody(request: OrderRequest) {
  return {
    lines: request.lines,
    shippingAddress: SAMPLE_ADDRESS,
    shippingOption: 'standard',
    paymentMethod: { type: 'card', cardToken: request.cardToken },
  };
}

async function migrateDirectory(db: TestDatabase, directory: string): Promise<void> {
  await migrate(db.pool, directory);
}

/** The outbox depth and the dead letters waiting, read from the service's own tables. */
async function messagingFact(participant: Participant): Promise<Facts['messaging'][number]> {
  const { rows } = await participant.db.pool.query<{ outbox: number; dead: number }>(
    `SELECT (SELECT count(*)::int FROM outbox) AS outbox,
            (SELECT count(*)::int FROM dead_letters WHERE replayed_at IS NULL) AS dead`,
  );
  return { service: participant.name, outboxDepth: rows[0]?.outbox, waitingDeadLetters: rows[0]?.dead };
}

interface ParticipantRecipe {
  prepare(db: TestDatabase): Promise<void>;
  build(pool: Pool, transport: Transport): Promise<ServiceApp>;
  ready?(app: ServiceApp): Promise<void>;
  /** Listens on an ephemeral port (the same one after a restart is not promised). */
  listen?: boolean;
}

type RunningParticipant = Participant & { readonly url: string | undefined };

async function participant(
  name: ParticipantName,
  setup: TransportSetup,
  all: Participant[],
  recipe: ParticipantRecipe,
): Promise<RunningParticipant> {
  const db = await createTestDatabase({ prefix: `consistency_${name}` });
  await recipe.prepare(db);
  await migrateMessaging(db.pool);
  const pool = createPool({ connectionString: db.url, applicationName: name, max: 12 });
  const published: TransportMessage[] = [];
  let app: ServiceApp | undefined;
  let transport: Transport | undefined;
  let url: string | undefined;

  const start = async (): Promise<void> => {
    transport = recording(await setup.make(), published);
    app = await recipe.build(pool, transport);
    if (recipe.listen) url = await app.listen({ host: '127.0.0.1', port: 0 });
    else await app.ready();
    await recipe.ready?.(app);
  };
  const stop = async (): Promise<void> => {
    const [closingApp, closingTransport] = [app, transport];
    app = undefined;
    transport = undefined;
    await closingApp?.close();
    await closingTransport?.close();
  };
  await start();
  const handle: RunningParticipant = {
    name,
    db,
    pool,
    get app() {
      if (!app) throw new Error(`${name} is stopped`);
      return app;
    },
    get url() {
      return url;
    },
    published,
    get running() {
      return app !== undefined;
    },
    stop: async () => {
      await stop();
    },
    start,
  };
  all.push(handle);
  return handle;
}

/** The transport, noting every message it published (what a test duplicates or replays as stale). */
function recording(transport: Transport, published: TransportMessage[]): Transport {
  return {
    kind: transport.kind,
    partitions: transport.partitions,
    async publish(messages) {
      await transport.publish(messages);
      published.push(...messages);
    },
    consume: (options) => transport.consume(options),
    ping: () => transport.ping(),
    close: () => transport.close(),
  };
}
