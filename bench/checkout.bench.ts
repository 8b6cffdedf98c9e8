/**
 * The checkout end to end: orders per second and latency from `POST /api/orders` to approved, on the
 * whole system as `npm start` runs it, for the embedded transport (the PostgreSQL message log) and for
 * RabbitMQ, each beside its physical limit measured in the same run: the same PostgreSQL committing the
 * single-row transactions one order needs, as fast as it can.
 *
 * Per transport: a fresh system with plenty of stock; what it costs while idle (commits and CPU per
 * second: readers' backstop polls, relays, heartbeats); then ORDERS orders placed by CONCURRENCY clients
 * at once (throughput: orders over the time from the first POST to the last approval), then, once their
 * shipments are delivered, orders offered at half that rate for a few seconds (latency: each order's POST
 * to its approval time).
 *
 *   npm run bench -- checkout
 *   BENCH_ORDERS=1000 BENCH_CONCURRENCY=64 BENCH_TRANSPORTS=embedded npm run bench -- checkout
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '@talad/messaging';
import { createPool, type Pool } from '@talad/pg';
import { signIn } from '../tools/talad/src/admin-client.ts';
import {
  call,
  newCustomer,
  placeOrder,
  tokenizeCard,
  type Customer,
  type ProductSummary,
} from '../tests/support/shop-client.ts';
import { makeDataDir, removeDataDir, startSystem, type RunningSystem } from '../tests/support/system.ts';
import { cpuPerUnit, cpuSnapshot, formatCpuPerUnit } from './support/cpu-usage.ts';

const PORT_OFFSET = 4_500;
const ORDERS = Number(process.env['BENCH_ORDERS'] ?? 400);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 32);
const LATENCY_SECONDS = Number(process.env['BENCH_LATENCY_SECONDS'] ?? 8);
const BASELINE_SECONDS = Number(process.env['BENCH_BASELINE_SECONDS'] ?? 5);
const IDLE_SECONDS = 5;
const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const TRANSPORTS = (process.env['BENCH_TRANSPORTS'] ?? 'embedded,rabbitmq').split(',');
const CUSTOMERS = 8;
const PRODUCTS = 20;

/*
 * The single-row committed transactions one approved card order needs, on the saga's path:
 *   1  placing it: the OrderPlaced event, the saga instance, its first command and the idempotency key;
 *   5  the participants' handlers, one each: VerifyCustomer (identity), ReserveStock and
 *      CommitReservation (inventory), AuthorizePayment and CapturePayment (payment), each with its inbox
 *      row, its change and its reply in the outbox;
 *   5  the saga's transitions in ordering, one per reply: inbox row, saga state, order event, next command;
 *  10  the relays' outbox deletes, one per message of those (5 commands, 5 replies) if each went alone;
 * 21 in all. On the embedded transport each of the 10 messages is also one INSERT committed into the
 * message log on the same PostgreSQL: 31. Not counted, so the limit is on the generous side: batching
 * (a relay deletes and a log insert carries several messages at once), the consumers' position updates in
 * the message log, and what follows from the order's events but is not on the way to approval (stock and
 * payment events, the basket emptied, order-history and notification). The bench also prints the commits
 * PostgreSQL actually counted per order, for comparison.
 */
const SAGA_PATH_TRANSACTIONS = 21;
const MESSAGES_ON_PATH = 10;

interface TransportResult {
  transport: string;
  orders_per_s: number;
  p50_ms: number;
  p99_ms: number;
  limit_orders_per_s: number;
  ratio: number;
}

interface Shop {
  readonly system: RunningSystem;
  readonly customers: Customer[];
  readonly cardTokens: Map<string, string>;
  readonly products: ProductSummary[];
}

function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

async function secretsOf(dataDir: string): Promise<{
  superuser: { user: string; password: string };
  services: { identity: { ADMIN_CLIENT_SECRET: string } };
}> {
  return JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as {
    superuser: { user: string; password: string };
    services: { identity: { ADMIN_CLIENT_SECRET: string } };
  };
}

async function openShop(system: RunningSystem): Promise<Shop> {
  const secrets = await secretsOf(system.dataDir);
  const admin = await signIn(system.gatewayUrl, {
    clientId: 'talad-admin',
    clientSecret: secrets.services.identity.ADMIN_CLIENT_SECRET,
  });
  const page = await call<{ items: ProductSummary[] }>(
    `${system.gatewayUrl}/api/catalog/products?pageSize=${PRODUCTS}`,
  );
  // Stock is not what this measures: enough for every order.
  for (const product of page.body.items) {
    await admin.call('PUT', `/api/inventory/admin/stock/${product.id}`, { onHand: 1_000_000 });
  }
  const customers = await Promise.all(
    Array.from({ length: CUSTOMERS }, (_, index) => newCustomer(system.gatewayUrl, `bench${index}`)),
  );
  const providerUrl = `http://127.0.0.1:${8201 + PORT_OFFSET}`;
  const cardTokens = new Map<string, string>();
  for (const customer of customers) cardTokens.set(customer.id, await tokenizeCard(providerUrl, 'success'));
  return { system, customers, cardTokens, products: page.body.items };
}

/** Places one order with the success card; resolves to its id and the moment the POST left. */
async function place(shop: Shop): Promise<{ orderId: string; customer: Customer; postedAt: number }> {
  const customer = pick(shop.customers);
  const product = pick(shop.products);
  const postedAt = Date.now();
  const answer = await placeOrder(shop.system.gatewayUrl, customer, {
    lines: [{ productId: product.id, ...(product.sizes[0] ? { size: product.sizes[0] } : {}), quantity: 1 }],
    cardToken: shop.cardTokens.get(customer.id) ?? '',
    idempotencyKey: randomUUID(),
  });
  if (answer.status !== 202)
    throw new Error(`placing an order answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return { orderId: answer.body.orderId, customer, postedAt };
}

/**
 * The moment each order was approved (its `OrderApproved` event's time), by order id; throws if one ended
 * otherwise. Read from ordering's event store by one query every quarter second: asking
 * `GET /api/orders/{id}` for hundreds of orders until each is approved would put a second load, of
 * token checks and stream reads, on the very processors the checkout is measured on.
 */
async function approvalTimes(shop: Shop, orders: ReadonlyArray<{ orderId: string }>): Promise<Map<string, number>> {
  const pool = await poolOf(shop.system.dataDir, 'ordering');
  const streams = orders.map((order) => `order-${order.orderId}`);
  const deadline = Date.now() + 300_000;
  try {
    for (;;) {
      const { rows } = await pool.query<{ stream_id: string; type: string; data: { approvedAt?: string } }>(
        `SELECT stream_id, type, data FROM events
          WHERE stream_id = ANY($1) AND type IN ('OrderApproved', 'OrderRejected', 'OrderCancelled')`,
        [streams],
      );
      const ended = rows.find((row) => row.type !== 'OrderApproved');
      if (ended)
        throw new Error(`an order ended otherwise: ${ended.stream_id} ${ended.type} ${JSON.stringify(ended.data)}`);
      if (rows.length === streams.length) {
        return new Map(
          rows.map((row) => [row.stream_id.slice('order-'.length), Date.parse(row.data.approvedAt ?? '')]),
        );
      }
      if (Date.now() > deadline) {
        throw new Error(`${streams.length - rows.length} orders not approved within 5 minutes`);
      }
      await sleep(250);
    }
  } finally {
    await pool.end();
  }
}

/**
 * Resolves once every shipment is delivered and a moment has passed for the last status to reach its
 * consumers. The courier reports each parcel's progress seconds apart: after a burst of orders, their
 * shipments keep the services busy for a while, which would otherwise fall into the next measurement.
 */
async function shipmentsDelivered(shop: Shop): Promise<void> {
  const pool = await poolOf(shop.system.dataDir, 'shipping');
  const deadline = Date.now() + 120_000;
  try {
    for (;;) {
      const { rows } = await pool.query<{ moving: number }>(
        "SELECT count(*)::int AS moving FROM shipments WHERE status NOT IN ('delivered', 'cancelled')",
      );
      if (rows[0]?.moving === 0) break;
      if (Date.now() > deadline) throw new Error(`${rows[0]?.moving} shipments still moving after 2 minutes`);
      await sleep(500);
    }
    await sleep(2_000);
  } finally {
    await pool.end();
  }
}

/** A pool (one connection unless asked) on a database of the system's PostgreSQL, as its superuser. */
async function poolOf(dataDir: string, database: string, connections = 1): Promise<Pool> {
  const { superuser } = await secretsOf(dataDir);
  return createPool({
    connectionString: `postgres://${superuser.user}:${encodeURIComponent(superuser.password)}@127.0.0.1:${54_329 + PORT_OFFSET}/${database}`,
    applicationName: 'bench-checkout',
    max: connections,
  });
}

/**
 * Starts counting what the system spends: commits in every database and CPU time by process (the broker
 * too, when it runs outside the system). The returned function tells how much per unit of work so far.
 */
async function costMeter(
  dataDir: string,
  systemPid: number,
  brokerCommands: readonly string[],
): Promise<(units: number) => Promise<{ commits: number; cpu: Array<[string, number]> }>> {
  const commitsBefore = await committedTransactions(dataDir);
  const cpuBefore = cpuSnapshot(systemPid, brokerCommands);
  return async (units) => {
    const cpu = cpuPerUnit(cpuBefore, cpuSnapshot(systemPid, brokerCommands), units);
    // The query that counts is one commit too.
    const commits = ((await committedTransactions(dataDir)) - commitsBefore - 1) / units;
    return { commits, cpu };
  };
}

/** All commits PostgreSQL counted so far, in every database. */
async function committedTransactions(dataDir: string): Promise<number> {
  const pool = await poolOf(dataDir, 'postgres');
  try {
    const { rows } = await pool.query<{ commits: string }>(
      'SELECT sum(xact_commit)::text AS commits FROM pg_stat_database',
    );
    return Number(rows[0]?.commits ?? 0);
  } finally {
    await pool.end();
  }
}

/** Single-row transactions per second on the system's PostgreSQL, from CONCURRENCY connections. */
async function baselineTransactionsPerSecond(dataDir: string): Promise<number> {
  const admin = await poolOf(dataDir, 'postgres');
  await admin.query('DROP DATABASE IF EXISTS bench_checkout_baseline');
  await admin.query('CREATE DATABASE bench_checkout_baseline');
  const pool = await poolOf(dataDir, 'bench_checkout_baseline', CONCURRENCY);
  try {
    await pool.query('CREATE TABLE rows (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body jsonb NOT NULL)');
    const body = JSON.stringify({ orderId: randomUUID(), state: 'running', step: 2 });
    let committed = 0;
    const endAt = performance.now() + BASELINE_SECONDS * 1_000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < endAt) {
          await pool.query('INSERT INTO rows (body) VALUES ($1)', [body]);
          committed++;
        }
      }),
    );
    return committed / ((performance.now() - started) / 1_000);
  } finally {
    await pool.end();
    await admin.query('DROP DATABASE IF EXISTS bench_checkout_baseline');
    await admin.end();
  }
}

async function measureTransport(transport: string): Promise<TransportResult> {
  const dataDir = await makeDataDir('talad-bench-checkout-');
  try {
    say(`[${transport}] starting the system…`);
    const env: Record<string, string> = { GATEWAY_RATE_LIMITS: 'off', GATEWAY_CACHE: 'off' };
    if (transport === 'rabbitmq') env['BROKER_URL'] = RABBITMQ_URL;
    const system = await startSystem({ dataDir, portOffset: PORT_OFFSET, env });
    try {
      const shop = await openShop(system);
      const systemPid = system.process.pid ?? process.pid;
      const brokerCommands = transport === 'rabbitmq' ? ['beam.smp'] : [];
      say(`[${transport}] the shop idle for ${IDLE_SECONDS} s…`);
      await sleep(2_000);
      const idleCosts = await costMeter(dataDir, systemPid, brokerCommands);
      await sleep(IDLE_SECONDS * 1_000);
      const idle = await idleCosts(IDLE_SECONDS);
      say(`  ${idle.commits.toFixed(0)} commits/s; ${formatCpuPerUnit(idle.cpu, 'second')}`);

      say(`[${transport}] warming up (20 orders)…`);
      await approvalTimes(shop, await Promise.all(Array.from({ length: 20 }, () => place(shop))));

      say(`[${transport}] ${ORDERS} orders from ${CONCURRENCY} clients at once…`);
      const burstCosts = await costMeter(dataDir, systemPid, brokerCommands);
      const placed: Array<{ orderId: string; customer: Customer; postedAt: number }> = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < ORDERS) {
            next++;
            placed.push(await place(shop));
          }
        }),
      );
      const approved = await approvalTimes(shop, placed);
      const burst = await burstCosts(ORDERS);
      const firstPost = Math.min(...placed.map((order) => order.postedAt));
      const ordersPerSecond = ORDERS / ((Math.max(...approved.values()) - firstPost) / 1_000);
      say(`  ${ordersPerSecond.toFixed(1)} orders/s; PostgreSQL counted ${burst.commits.toFixed(1)} commits per order`);
      say(`  ${formatCpuPerUnit(burst.cpu, 'order')}`);

      say(`[${transport}] letting the burst's shipments reach their customers, so the next part starts quiet…`);
      await shipmentsDelivered(shop);

      const rate = Math.max(1, ordersPerSecond / 2);
      say(`[${transport}] latency: ${rate.toFixed(1)} orders/s for ${LATENCY_SECONDS} s…`);
      const offered: Array<Promise<{ orderId: string; customer: Customer; postedAt: number }>> = [];
      const startedAt = performance.now();
      for (let index = 0; index < Math.round(rate * LATENCY_SECONDS); index++) {
        const due = startedAt + (index * 1_000) / rate;
        await sleep(Math.max(0, due - performance.now()));
        offered.push(place(shop));
      }
      const timed = await Promise.all(offered);
      const approvedAt = await approvalTimes(shop, timed);
      const latencies = timed.map((order) => (approvedAt.get(order.orderId) ?? Number.NaN) - order.postedAt);
      latencies.sort((a, b) => a - b);

      say(`[${transport}] baseline: single-row transactions on the same PostgreSQL for ${BASELINE_SECONDS} s…`);
      const transactionsPerSecond = await baselineTransactionsPerSecond(dataDir);
      const perOrder = SAGA_PATH_TRANSACTIONS + (transport === 'embedded' ? MESSAGES_ON_PATH : 0);
      const limit = transactionsPerSecond / perOrder;
      say(`  ${Math.round(transactionsPerSecond)} tx/s ÷ ${perOrder} per order = ${limit.toFixed(1)} orders/s`);
      return {
        transport,
        orders_per_s: round(ordersPerSecond),
        p50_ms: Math.round(percentile(latencies, 0.5)),
        p99_ms: Math.round(percentile(latencies, 0.99)),
        limit_orders_per_s: round(limit),
        ratio: round(ordersPerSecond / limit),
      };
    } finally {
      await system.stop('SIGTERM');
    }
  } finally {
    await removeDataDir(dataDir);
  }
}

export async function run(): Promise<void> {
  const results: TransportResult[] = [];
  for (const transport of TRANSPORTS) results.push(await measureTransport(transport));
  say('');
  say('transport    orders/s   p50 ms   p99 ms  limit/s   ratio');
  for (const result of results) {
    say(
      `${result.transport.padEnd(10)} ${pad(result.orders_per_s)} ${pad(result.p50_ms)} ${pad(result.p99_ms)} ${pad(result.limit_orders_per_s)} ${pad(result.ratio)}`,
    );
  }
  process.stdout.write(`${JSON.stringify({ bench: 'checkout', results })}\n`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function pad(value: number): string {
  return String(value).padStart(8);
}
