/**
 * The checkout under fire: hundreds of concurrent checkouts over a few dozen scarce products, paid with
 * mixed test cards or at a counter (some slips paid through the counter-service simulator, some left to
 * expire), some cancelled by their customers a few seconds later, while ordering, inventory and payment
 * are killed with SIGKILL at random moments (talad's supervisor starts them again). Customers whose
 * request fails because a service is down retry it as a browser (or a counter clerk) would: a
 * place-order with the same Idempotency-Key. Once the system is quiet, every order has ended the way its
 * customer's actions say it must, and `talad check` finds every invariant of CONSISTENCY.md holding.
 *
 *   CHAOS_CHECKOUTS=1000 npx vitest run --project e2e checkout-chaos
 *   CHAOS_BROKER_URL=amqp://guest:guest@127.0.0.1:5672 npx vitest run --project e2e checkout-chaos
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { signIn, type AdminClient } from '../../tools/talad/src/admin-client.ts';
import {
  call,
  newCustomer,
  placeOrder,
  tokenizeCard,
  type Customer,
  type HttpAnswer,
  type OrderView,
  type OrderLineRequest,
  type ProductSummary,
  type TestCard,
} from '../support/shop-client.ts';
import { makeDataDir, projectRoot, removeDataDir, startSystem, type RunningSystem } from '../support/system.ts';

const PORT_OFFSET = 4_000;
const CHECKOUTS = Number(process.env['CHAOS_CHECKOUTS'] ?? 200);
const CUSTOMERS = 10;
const SCARCE_PRODUCTS = 30;
const UNITS_PER_PRODUCT = 4;
/** Checkouts start spread over this window, so kills land before, during and after each one. */
const ARRIVAL_WINDOW_MS = Math.max(10_000, CHECKOUTS * 40);
const VICTIMS = ['ordering', 'inventory', 'payment'] as const;
/** A slow card answers after this long: slower than the others, well inside the payment step's deadline. */
const SLOW_CARD_DELAY_MS = 2_000;
/** A test card, a pay slip paid at the counter before it expires, or a pay slip left to expire. */
type Payment = TestCard | 'counterPaid' | 'counterUnpaid';
/** Mostly paying customers, some declines and shortfalls, some slow answers, some paying at a counter. */
const PAYMENT_MIX: readonly Payment[] = [
  'success',
  'success',
  'success',
  'success',
  'declined',
  'insufficientFunds',
  'slow',
  'slow',
  'counterPaid',
  'counterPaid',
  'counterUnpaid',
];
/**
 * Every so many checkouts the customer cancels a few seconds after placing: while checkout runs, while
 * a slip waits, after approval, or too late. Prime to the mix's length, so it meets every kind of payment.
 */
const CANCEL_EVERY = 7;
/** Slips expire this long after they are issued: unpaid ones expire well within the run. */
const SLIP_TTL_SECONDS = 30;
/** How long a customer keeps trying (a request, finding the slip, paying it) through the kills. */
const PERSEVERANCE_MS = 120_000;
/**
 * The whole run's limit: above what the customers' own patience adds up to (placing, finding the slip,
 * paying it, each up to PERSEVERANCE_MS) and the wait for the orders to end, so a checkout that is stuck
 * fails with its customer's error naming the order, rather than the run being cut off without a word.
 */
const RUN_TIMEOUT_MS = 10 * 60_000;

const gatewayPort = 8080 + PORT_OFFSET;
const providerUrl = `http://127.0.0.1:${8201 + PORT_OFFSET}`;
const counterUrl = `http://127.0.0.1:${8202 + PORT_OFFSET}`;
const orderingUrl = `http://127.0.0.1:${8104 + PORT_OFFSET}`;
let dataDir: string;
let system: RunningSystem | undefined;
let admin: AdminClient;
let failed = false;

beforeAll(async () => {
  dataDir = await makeDataDir('talad-chaos-');
  // One test client stands for many browsers: per-address rate limits would turn it away.
  system = await startSystem({
    dataDir,
    portOffset: PORT_OFFSET,
    env: {
      GATEWAY_RATE_LIMITS: 'off',
      SLOW_CARD_DELAY_MS: String(SLOW_CARD_DELAY_MS),
      PAY_SLIP_TTL_SECONDS: String(SLIP_TTL_SECONDS),
      // The embedded message log by default; CHAOS_BROKER_URL=amqp://… or nats://… runs it on a broker.
      ...(process.env['CHAOS_BROKER_URL'] ? { BROKER_URL: process.env['CHAOS_BROKER_URL'] } : {}),
    },
  });
  admin = await adminClient();
});

afterAll(async () => {
  // talad's own account of the kills and restarts, for whoever reads a failure.
  const supervision = (system?.output() ?? '').split('\n').flatMap((line) => {
    // talad's own log lines; one cut in two where stdout and stderr interleaved is left out.
    if (!line.startsWith('{"service":"talad"')) return [];
    try {
      const { time, msg } = JSON.parse(line) as { time: string; msg: string };
      return /restarting in|ready again|not ready|before it was ready/.test(msg)
        ? [`${time.slice(11, 23)} ${msg}`]
        : [];
    } catch {
      return [];
    }
  });
  process.stderr.write(`${supervision.join('\n')}\n`);
  if (system?.process.exitCode === null) await system.stop('SIGTERM');
  if (!failed) {
    await removeDataDir(dataDir);
    return;
  }
  // A failure is rare and costly to meet again: keep its databases, and every line the system logged.
  await writeFile(join(dataDir, 'system-output.log'), system?.output() ?? '');
  process.stderr.write(`the failed run's data directory and system-output.log are kept in ${dataDir}\n`);
});

async function adminClient(): Promise<AdminClient> {
  const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as {
    services: { identity: { ADMIN_CLIENT_SECRET: string } };
  };
  return signIn(`http://127.0.0.1:${gatewayPort}`, {
    clientId: 'talad-admin',
    clientSecret: secrets.services.identity.ADMIN_CLIENT_SECRET,
  });
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** A few dozen products, each down to a handful of units: most checkouts compete for the same stock. */
async function scarceProducts(gatewayUrl: string): Promise<ProductSummary[]> {
  const page = await call<{ items: ProductSummary[] }>(
    `${gatewayUrl}/api/catalog/products?pageSize=${SCARCE_PRODUCTS}&sort=price_asc`,
  );
  expect(page.status).toBe(200);
  const products = page.body.items;
  expect(products.length).toBe(SCARCE_PRODUCTS);
  for (const product of products) {
    await admin.call('PUT', `/api/inventory/admin/stock/${product.id}`, { onHand: UNITS_PER_PRODUCT });
  }
  return products;
}

function randomLines(products: readonly ProductSummary[]): OrderLineRequest[] {
  const chosen = new Set<ProductSummary>();
  const count = Math.random() < 0.7 ? 1 : 2;
  while (chosen.size < count) chosen.add(pick(products));
  return [...chosen].map((product) => ({
    productId: product.id,
    ...(product.sizes.length > 0 ? { size: pick(product.sizes) } : {}),
    quantity: Math.random() < 0.75 ? 1 : 2,
  }));
}

interface Placed {
  orderId: string;
  attempts: number;
}

/** A request that failed because something on its way is down (or being restarted): worth asking again. */
const isTransient = (status: number): boolean => status === 0 || status >= 500;

/** A request that could not even connect (its process was just killed): worth asking again. */
const CUT_CONNECTION: HttpAnswer<never> = { status: 0, body: undefined as never, headers: new Headers() };

/**
 * Places an order, retrying with the same Idempotency-Key while ordering (or the gateway's way to it)
 * is down: a retry of a request that did go through gets the same order back.
 */
async function placeWithRetries(
  gatewayUrl: string,
  customer: Customer,
  lines: OrderLineRequest[],
  payment: Payment,
): Promise<Placed> {
  const atCounter = payment === 'counterPaid' || payment === 'counterUnpaid';
  const cardToken = atCounter ? undefined : await tokenizeCard(providerUrl, payment);
  const idempotencyKey = randomUUID();
  const giveUpAt = Date.now() + PERSEVERANCE_MS;
  for (let attempts = 1; ; attempts++) {
    const answer = await placeOrder(gatewayUrl, customer, {
      lines,
      idempotencyKey,
      ...(cardToken ? { cardToken } : {}),
    }).catch(() => CUT_CONNECTION);
    if (answer.status === 202) return { orderId: answer.body.orderId, attempts };
    if (!isTransient(answer.status) || Date.now() > giveUpAt) {
      throw new Error(`placing an order answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    await sleep(250 + Math.random() * 750);
  }
}

interface Slip {
  paymentCode: string;
  amount: { amount: number };
}

/** What the customer did after placing, and what they were told. */
interface Afterwards {
  /** The counter's answer to paying the slip; `no-slip` when the order ended before it had one. */
  counter?: 'confirmed' | 'refused' | 'no-slip';
  /** 202: the cancellation was taken on; 409: refused (too late, or the order already ended). */
  cancel?: 'accepted' | 'refused';
}

/** The order's pay slip once checkout issued it; undefined when the order ended without one. */
async function waitForSlip(gatewayUrl: string, customer: Customer, orderId: string): Promise<Slip | undefined> {
  const giveUpAt = Date.now() + PERSEVERANCE_MS;
  let last: HttpAnswer = CUT_CONNECTION;
  while (Date.now() < giveUpAt) {
    const answer = await call<{ status: string; payment: { slip: Slip | null } }>(
      `${gatewayUrl}/api/orders/${orderId}`,
      { token: customer.token },
    ).catch(() => CUT_CONNECTION);
    last = answer;
    if (answer.status === 200 && answer.body.payment.slip) return answer.body.payment.slip;
    if (answer.status === 200 && answer.body.status !== 'pending') return undefined;
    if (answer.status !== 200 && !isTransient(answer.status)) {
      throw new Error(`reading order ${orderId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    await sleep(300 + Math.random() * 300);
  }
  throw new Error(
    `order ${orderId} showed no pay slip and did not end in ${PERSEVERANCE_MS} ms; last answered ${last.status}: ${JSON.stringify(last.body)}`,
  );
}

/** Pays the slip at the counter, as a clerk would try again while the biller (payment) does not answer. */
async function payAtCounter(slip: Slip): Promise<'confirmed' | 'refused'> {
  const giveUpAt = Date.now() + PERSEVERANCE_MS;
  for (;;) {
    const answer = await call<{ status?: string }>(`${counterUrl}/v1/payments`, {
      method: 'POST',
      body: { paymentCode: slip.paymentCode, amount: slip.amount.amount },
    }).catch(() => CUT_CONNECTION);
    if (answer.status === 201 && answer.body.status === 'confirmed') return 'confirmed';
    // Refused by the biller: the slip expired, or its order was cancelled.
    if (answer.status === 422) return 'refused';
    if (!isTransient(answer.status) || Date.now() > giveUpAt) {
      throw new Error(`paying slip ${slip.paymentCode} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    await sleep(300 + Math.random() * 700);
  }
}

async function cancelWithRetries(
  gatewayUrl: string,
  customer: Customer,
  orderId: string,
): Promise<'accepted' | 'refused'> {
  const giveUpAt = Date.now() + PERSEVERANCE_MS;
  for (;;) {
    const answer = await call(`${gatewayUrl}/api/orders/${orderId}/cancel`, {
      method: 'POST',
      token: customer.token,
    }).catch(() => CUT_CONNECTION);
    if (answer.status === 202) return 'accepted';
    if (answer.status === 409) return 'refused';
    if (!isTransient(answer.status) || Date.now() > giveUpAt) {
      throw new Error(`cancelling order ${orderId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    await sleep(250 + Math.random() * 750);
  }
}

/**
 * Whether the customer cancels: `soon` a few seconds after placing (mostly while checkout runs or a
 * slip waits), `once-approved` as soon as the order is approved (a refund, unless the parcel left).
 */
type Cancels = 'soon' | 'once-approved' | undefined;

/** Polls the order, as its customer sees it, until checkout has ended one way or the other. */
async function waitUntilNotPending(gatewayUrl: string, customer: Customer, orderId: string): Promise<void> {
  for (const giveUpAt = Date.now() + PERSEVERANCE_MS; Date.now() < giveUpAt; await sleep(200)) {
    const answer = await call<{ status: string }>(`${gatewayUrl}/api/orders/${orderId}`, {
      token: customer.token,
    }).catch(() => CUT_CONNECTION);
    if (answer.status === 200 && answer.body.status !== 'pending') return;
  }
}

/** After placing: pays the slip at the counter some seconds later, cancels, both or neither. */
async function afterPlacing(
  gatewayUrl: string,
  customer: Customer,
  order: Placed,
  payment: Payment,
  cancels: Cancels,
): Promise<Afterwards> {
  const paying = async (): Promise<Afterwards['counter']> => {
    const slip = await waitForSlip(gatewayUrl, customer, order.orderId);
    if (!slip) return 'no-slip';
    // Paid some time before it expires, as people do: at once, or a while later.
    await sleep(Math.random() * (SLIP_TTL_SECONDS * 1_000) * 0.4);
    return payAtCounter(slip);
  };
  const cancelling = async (): Promise<Afterwards['cancel']> => {
    if (cancels === 'once-approved') await waitUntilNotPending(gatewayUrl, customer, order.orderId);
    else await sleep(500 + Math.random() * 5_500);
    return cancelWithRetries(gatewayUrl, customer, order.orderId);
  };
  const [counter, cancel] = await Promise.all([
    payment === 'counterPaid' ? paying() : undefined,
    cancels ? cancelling() : undefined,
  ]);
  return { ...(counter ? { counter } : {}), ...(cancel ? { cancel } : {}) };
}

async function isReady(service: (typeof VICTIMS)[number]): Promise<boolean> {
  const port = { ordering: 8104, inventory: 8105, payment: 8106 }[service] + PORT_OFFSET;
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Kills a random one of ordering, inventory and payment every 1.5–3 s until `stop` aborts, each only once
 * it is ready again (so it dies mid-work, not mid-start). Returns the kills per service.
 */
async function killAtRandom(running: RunningSystem, stop: AbortSignal): Promise<Record<string, number>> {
  const kills: Record<string, number> = { ordering: 0, inventory: 0, payment: 0 };
  // Read through a function: the abort happens while this loop sleeps, which flow analysis cannot see.
  const stopped = (): boolean => stop.aborted;
  while (!stopped()) {
    await sleep(1_500 + Math.random() * 1_500);
    if (stopped()) break;
    // The least killed first, so all three die more than once; ties broken at random.
    const ready = (await Promise.all(VICTIMS.map(async (name) => ((await isReady(name)) ? name : undefined)))).filter(
      (name) => name !== undefined,
    );
    if (ready.length === 0) continue;
    const fewest = Math.min(...ready.map((name) => kills[name] ?? 0));
    const victim = pick(ready.filter((name) => kills[name] === fewest));
    const pid = running.pidOf(`${victim}-1`);
    if (pid === undefined) continue;
    try {
      process.kill(pid, 'SIGKILL');
      kills[victim] = (kills[victim] ?? 0) + 1;
    } catch {
      // It had just gone by itself.
    }
  }
  return kills;
}

interface OrderingOrder {
  orderId: string;
  status: string;
}

/** Waits until none of `orderIds` is pending any more, reading ordering's consistency view as talad-admin. */
async function waitUntilEnded(orderIds: readonly string[], timeoutMs: number): Promise<Map<string, string>> {
  const token = await adminToken();
  const deadline = Date.now() + timeoutMs;
  let statuses = new Map<string, string>();
  while (Date.now() < deadline) {
    const answer = await call<{ orders: OrderingOrder[] }>(`${orderingUrl}/admin/consistency`, { token }).catch(
      () => undefined,
    );
    if (answer?.status === 200) {
      statuses = new Map(answer.body.orders.map((order) => [order.orderId, order.status]));
      if (orderIds.every((id) => statuses.has(id) && statuses.get(id) !== 'pending')) return statuses;
    }
    await sleep(2_000);
  }
  return statuses;
}

/**
 * What the system knows of an order whose customer gave up: its checkout saga as ordering's admin view
 * shows it, and every log line that names it, so a failure can be read without running it again.
 */
async function storyOf(orderId: string, payment: Payment, cancels: Cancels): Promise<string> {
  const saga = await call(`${orderingUrl}/admin/sagas/${orderId}`, { token: await adminToken() }).catch(
    (error: unknown) => ({ status: 0, body: String(error) }),
  );
  const logLines = (system?.output() ?? '').split('\n').filter((line) => line.includes(orderId));
  return [
    `paid by ${payment}${cancels ? `, cancelled ${cancels}` : ''}`,
    `checkout saga (${saga.status}): ${JSON.stringify(saga.body, null, 1)}`,
    `log lines naming the order (${logLines.length}):`,
    ...logLines.slice(-60),
  ].join('\n');
}

async function adminToken(): Promise<string> {
  const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as {
    services: { identity: { ADMIN_CLIENT_SECRET: string } };
  };
  const answer = await fetch(`http://127.0.0.1:${8102 + PORT_OFFSET}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'talad-admin',
      client_secret: secrets.services.identity.ADMIN_CLIENT_SECRET,
    }),
  });
  return ((await answer.json()) as { access_token: string }).access_token;
}

async function checkInvariants(): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['tools/talad/src/main.ts', 'check', '--data-dir', dataDir, '--wait', '30'],
      { cwd: projectRoot, timeout: 120_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

interface Checkout {
  customer: Customer;
  placed: Placed;
  payment: Payment;
  afterwards: Afterwards;
}

/** What each checkout's ending must be, given what its customer did and was told; one line per mismatch. */
function unexpectedEndings(checkouts: readonly Checkout[], statuses: Map<string, string>): string[] {
  const wrong: string[] = [];
  for (const { placed, payment, afterwards } of checkouts) {
    const status = statuses.get(placed.orderId);
    const expected =
      afterwards.cancel === 'accepted'
        ? // Taken on: cancelled, unless shipping refused because the parcel had just left.
          ['cancelled', 'approved']
        : afterwards.counter === 'confirmed'
          ? ['approved']
          : afterwards.counter === 'refused'
            ? // The slip expired before the counter got through: the system cancelled the order.
              ['cancelled']
            : afterwards.counter === 'no-slip'
              ? ['rejected']
              : payment === 'counterUnpaid'
                ? // Cancelled once its slip expired; rejected when there was no stock to wait with.
                  ['cancelled', 'rejected']
                : ['approved', 'rejected'];
    // A refused cancellation changed nothing: whatever else happened, the order was not cancelled.
    if (!expected.includes(status ?? 'missing') || (afterwards.cancel === 'refused' && status === 'cancelled')) {
      wrong.push(`${placed.orderId} (${payment}, ${JSON.stringify(afterwards)}) ended ${status ?? 'missing'}`);
    }
  }
  return wrong;
}

describe('checkout chaos', () => {
  it(
    `${CHECKOUTS} concurrent checkouts, paid by card or at a counter, some cancelled, while ordering, inventory and payment are SIGKILLed: every order ends as it must, every invariant holds`,
    async () => {
      onTestFailed(() => {
        failed = true;
      });
      const running = system as RunningSystem;
      const gatewayUrl = running.gatewayUrl;
      const products = await scarceProducts(gatewayUrl);
      // One after another: password hashing is slow on purpose, and ten at once outlast the gateway's deadline.
      const customers: Customer[] = [];
      for (let index = 0; index < CUSTOMERS; index++) customers.push(await newCustomer(gatewayUrl, `chaos${index}`));

      // Kills stop after the arrivals (and a little more): a service killed again and again within half a
      // minute comes back after ever longer delays (talad's restart backoff), which would only stall the run.
      // A timer of its own aborts them, not AbortSignal.timeout inside AbortSignal.any: a composite signal
      // that is only read, never listened to, loses its timeout when the garbage collector takes the
      // timeout's signal (nodejs/node#57736), and then the kills never stop and the customers give up.
      const stopKilling = new AbortController();
      const killsEnd = setTimeout(() => stopKilling.abort(), ARRIVAL_WINDOW_MS + 10_000);
      const killing = killAtRandom(running, stopKilling.signal);
      const checkouts: Checkout[] = await Promise.all(
        Array.from({ length: CHECKOUTS }, async (_, index) => {
          await sleep(Math.random() * ARRIVAL_WINDOW_MS);
          const customer = customers[index % CUSTOMERS] as Customer;
          const payment = PAYMENT_MIX[index % PAYMENT_MIX.length]!;
          const placed = await placeWithRetries(gatewayUrl, customer, randomLines(products), payment);
          const cancels: Cancels =
            index % CANCEL_EVERY !== CANCEL_EVERY - 1
              ? undefined
              : Math.floor(index / CANCEL_EVERY) % 2 === 0
                ? 'soon'
                : 'once-approved';
          const afterwards = await afterPlacing(gatewayUrl, customer, placed, payment, cancels).catch(
            async (error: unknown) => {
              throw new Error(`${(error as Error).message}\n${await storyOf(placed.orderId, payment, cancels)}`, {
                cause: error,
              });
            },
          );
          return { customer, placed, payment, afterwards };
        }),
      );
      clearTimeout(killsEnd);
      stopKilling.abort();
      const kills = await killing;

      const orderIds = checkouts.map((checkout) => checkout.placed.orderId);
      expect(new Set(orderIds).size, 'one order per checkout, retries included').toBe(CHECKOUTS);
      const placedAfter = performance.now();
      // Unpaid slips end only once they expire, SLIP_TTL_SECONDS after they were issued.
      const statuses = await waitUntilEnded(orderIds, 150_000 + SLIP_TTL_SECONDS * 1_000);
      process.stderr.write(
        `all customers done; the orders ended ${Math.round((performance.now() - placedAfter) / 1000)} s later\n`,
      );
      const pending = orderIds.filter((id) => statuses.get(id) === undefined || statuses.get(id) === 'pending');
      expect(pending, 'orders that never ended').toEqual([]);

      const result = await checkInvariants();
      const tally = (key: (checkout: Checkout) => string) =>
        checkouts.reduce<Record<string, number>>((counts, checkout) => {
          counts[key(checkout)] = (counts[key(checkout)] ?? 0) + 1;
          return counts;
        }, {});
      const byStatus = tally((checkout) => statuses.get(checkout.placed.orderId) ?? 'missing');
      const retried = checkouts.filter((checkout) => checkout.placed.attempts > 1).length;
      // For whoever reads the test's output: what the chaos did, and what the checker found.
      process.stderr.write(
        `kills ${JSON.stringify(kills)}; orders ${JSON.stringify(byStatus)}; place-order retried for ${retried}\n` +
          `by payment and ending ${JSON.stringify(tally((checkout) => `${checkout.payment} ${statuses.get(checkout.placed.orderId)}`))}\n` +
          `customers' actions ${JSON.stringify(tally((checkout) => JSON.stringify(checkout.afterwards)))}\n${result.stdout}\n`,
      );
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`Invariant 1: .*: holds \\(orders ${CHECKOUTS},`));
      expect(unexpectedEndings(checkouts, statuses)).toEqual([]);
      expect(
        Object.values(kills).every((count) => count > 0),
        JSON.stringify(kills),
      ).toBe(true);
      // The run met every path it is meant to: counter payments that went through and slips that expired,
      // and cancellations that took effect.
      const counterApproved = checkouts.filter(
        (checkout) =>
          checkout.afterwards.counter === 'confirmed' && statuses.get(checkout.placed.orderId) === 'approved',
      );
      expect(counterApproved.length, 'counter-paid orders approved').toBeGreaterThan(0);
      const expiredSlips = await cancelledForExpiry(
        checkouts.filter((checkout) => checkout.payment === 'counterUnpaid'),
      );
      expect(expiredSlips, 'orders cancelled because their slip expired').toBeGreaterThan(0);
      expect(byStatus['cancelled'] ?? 0, 'cancelled orders').toBeGreaterThan(0);
      // Cancelled after approval: the captured payment was refunded (invariant 3 counts the refunds).
      expect(Number(/refunded (\d+)/.exec(result.stdout)?.[1] ?? 0), 'refunded payments').toBeGreaterThan(0);
      expect(statuses.size).toBe(CHECKOUTS);
    },
    RUN_TIMEOUT_MS,
  );
});

/** How many of these orders the system cancelled because their slip expired, read as their customers see them. */
async function cancelledForExpiry(checkouts: readonly Checkout[]): Promise<number> {
  const reasons = await Promise.all(
    checkouts.map(async ({ customer, placed }) => {
      const answer = await call<OrderView>(`${(system as RunningSystem).gatewayUrl}/api/orders/${placed.orderId}`, {
        token: customer.token,
      });
      return answer.body.status === 'cancelled' ? answer.body.cancellation?.reason : undefined;
    }),
  );
  return reasons.filter((reason) => reason === 'PAYMENT_EXPIRED').length;
}
