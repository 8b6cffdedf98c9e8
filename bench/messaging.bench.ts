/**
 * Messaging end to end, on every transport, beside the raw broker in the same run.
 *
 * For each transport (the PostgreSQL message log always; RabbitMQ and NATS JetStream at `RABBITMQ_URL` and
 * `NATS_URL`, defaulting to the local servers): 1 KB events go through `createMessaging` from the outbox
 * insert to the consumer's commit (outbox → relay → transport → consumer runtime with its inbox, the handler
 * doing one small insert). Measured: the throughput at saturation, and p50/p99 latency from the outbox
 * insert to the consumer's commit at a fixed rate. Beside it, the raw broker: a plain client publishing with
 * confirms/acks and a plain consumer, no database (for the message log: plain INSERTs into a table and a
 * plain reader). Last, a business transaction with an outbox write beside the same transaction without it.
 *
 *   npm run bench -- messaging
 *   BENCH_MESSAGES=10000 BENCH_RATE=1000 BENCH_RATE_SECONDS=10 BENCH_TRANSPORTS=postgres,nats npm run bench -- messaging
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import {
  createMessaging,
  defineMessage,
  encodeEnvelope,
  migrateMessaging,
  percentile,
  type Messaging,
  type Transport,
} from '@talad/messaging';
import { createNatsTransport, runRawBaseline as runNatsBaseline } from '@talad/messaging-nats';
import { createPostgresTransport, runRawBaseline as runPostgresBaseline } from '@talad/messaging-postgres';
import { createRabbitMqTransport, runRawBaseline as runRabbitBaseline } from '@talad/messaging-rabbitmq';
import { createPool, withTransaction, type Pool, type PoolClient } from '@talad/pg';
import { createLogger } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { deleteStreams } from '../chassis/messaging-nats/src/testing/support.ts';
import { deleteTopology } from '../chassis/messaging-rabbitmq/src/test-broker.ts';

const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 5_000);
const RATE = Number(process.env['BENCH_RATE'] ?? 1_000);
const RATE_SECONDS = Number(process.env['BENCH_RATE_SECONDS'] ?? 5);
/** Producers writing at once at saturation, each one message per transaction. */
const PRODUCERS = Number(process.env['BENCH_PRODUCERS'] ?? 16);
const CONSUMER_CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const TX_SECONDS = Number(process.env['BENCH_TX_SECONDS'] ?? 3);
const MESSAGE_BYTES = 1024;
const ROUNDS = 2;
/** Transactions open at once while offering a fixed rate. */
const MAX_IN_FLIGHT = 64;
const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const TRANSPORTS = (process.env['BENCH_TRANSPORTS'] ?? 'postgres,rabbitmq,nats').split(',');

const logger = createLogger({ service: 'bench', level: process.env['BENCH_LOG_LEVEL'] ?? 'warn' });
const ItemAdded = defineMessage({
  type: 'benchshop.ItemAdded.v1',
  kind: 'event',
  schema: z.object({ n: z.int(), sentAt: z.number(), pad: z.string() }),
});
const OrderPlaced = defineMessage({
  type: 'benchshop.OrderPlaced.v1',
  kind: 'event',
  schema: z.object({ orderId: z.int(), pad: z.string() }),
});

function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Padding that makes an ItemAdded envelope 1 KB on the wire. */
const PAD = (() => {
  const probe = encodeEnvelope({
    specversion: '1.0',
    id: '0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e',
    source: '/talad/benchshop',
    type: ItemAdded.type,
    time: new Date().toISOString(),
    subject: 'key-00',
    datacontenttype: 'application/json',
    data: { n: 1000, sentAt: 1_700_000_000_000.123, pad: '' },
    correlationid: '0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e',
  });
  return 'x'.repeat(Math.max(0, MESSAGE_BYTES - probe.byteLength));
})();

const now = (): number => performance.timeOrigin + performance.now();

interface TransportUnderTest {
  readonly name: 'postgres' | 'rabbitmq' | 'nats';
  make(): Transport;
  raw(messages: number): Promise<{ rps: number; p50: number; p99: number }>;
  /** Deletes what the run left on the broker. */
  cleanup(): Promise<void>;
}

async function transportsUnderTest(databases: TestDatabase[]): Promise<TransportUnderTest[]> {
  const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const chosen: TransportUnderTest[] = [];
  if (TRANSPORTS.includes('postgres')) {
    const log = await createTestDatabase({ prefix: 'bench_msg_log' });
    const scratch = await createTestDatabase({ prefix: 'bench_msg_raw' });
    databases.push(log, scratch);
    chosen.push({
      name: 'postgres',
      make: () => createPostgresTransport({ url: log.url, logger }),
      raw: async (messages) => {
        const result = await runPostgresBaseline({ url: scratch.url, messages, payloadBytes: MESSAGE_BYTES });
        return { rps: result.msgsPerSecond, ...result.latencyMs };
      },
      cleanup: async () => undefined,
    });
  }
  if (TRANSPORTS.includes('rabbitmq')) {
    const namePrefix = `bench-${runId}`;
    chosen.push({
      name: 'rabbitmq',
      make: () => createRabbitMqTransport({ url: RABBITMQ_URL, namePrefix, logger }),
      raw: async (messages) => {
        // Quorum queues, as the transport uses: the same durability on both sides.
        const result = await runRabbitBaseline({
          url: RABBITMQ_URL,
          messages,
          payloadBytes: MESSAGE_BYTES,
          queueType: 'quorum',
        });
        return { rps: result.msgsPerSecond, ...result.latencyMs };
      },
      cleanup: async () => {
        await deleteTopology(namePrefix);
      },
    });
  }
  if (TRANSPORTS.includes('nats')) {
    const namePrefix = `bench_${runId}`;
    chosen.push({
      name: 'nats',
      make: () => createNatsTransport({ url: NATS_URL, namePrefix, logger }),
      raw: async (messages) => {
        const result = await runNatsBaseline({ url: NATS_URL, messages, payloadBytes: MESSAGE_BYTES });
        return { rps: result.msgsPerSecond, ...result.latencyMs };
      },
      cleanup: async () => {
        await deleteStreams(namePrefix, NATS_URL);
      },
    });
  }
  return chosen;
}

/** A producing and a consuming service on `transport`, each with its own database. */
interface Pipeline {
  readonly producer: Messaging;
  /** Resolves once the consumer has committed every one of the next `count` messages published. */
  expect(count: number): Promise<number[]>;
  stop(): Promise<void>;
}

async function startPipeline(target: TransportUnderTest, databases: TestDatabase[]): Promise<Pipeline> {
  const shopDb = await createTestDatabase({ prefix: 'bench_msg_shop' });
  const stockDb = await createTestDatabase({ prefix: 'bench_msg_stock' });
  databases.push(shopDb, stockDb);
  await migrateMessaging(shopDb.pool);
  await migrateMessaging(stockDb.pool);
  await stockDb.pool.query('CREATE TABLE stock_effects (message_id text PRIMARY KEY, n integer NOT NULL)');
  const pools: Pool[] = [
    createPool({ connectionString: shopDb.url, applicationName: 'bench-shop', max: PRODUCERS + 4 }),
    createPool({ connectionString: stockDb.url, applicationName: 'bench-stock', max: CONSUMER_CONCURRENCY + 4 }),
  ];
  const [shopPool, stockPool] = pools as [Pool, Pool];
  const producerTransport = target.make();
  const consumerTransport = target.make();

  // Latency is taken where the consumer runtime hands back to the transport: after its commit.
  let waiting: { remaining: number; latencies: number[]; seen: Set<string>; done: () => void } | undefined;
  const observed: Transport = {
    kind: consumerTransport.kind,
    partitions: consumerTransport.partitions,
    publish: (messages) => consumerTransport.publish(messages),
    ping: () => consumerTransport.ping(),
    close: () => consumerTransport.close(),
    consume: (options) =>
      consumerTransport.consume({
        ...options,
        handle: async (delivery) => {
          await options.handle(delivery);
          const batch = waiting;
          if (!batch || batch.seen.has(delivery.message.id)) return;
          batch.seen.add(delivery.message.id);
          const envelope = JSON.parse(new TextDecoder().decode(delivery.message.body)) as { data: { sentAt: number } };
          batch.latencies.push(now() - envelope.data.sentAt);
          if (--batch.remaining === 0) batch.done();
        },
      }),
  };

  const producer = createMessaging({ service: 'benchshop', pool: shopPool, transport: producerTransport, logger });
  const consumer = createMessaging({
    service: 'benchstock',
    pool: stockPool,
    transport: observed,
    logger,
    concurrency: CONSUMER_CONCURRENCY,
  });
  consumer.subscribe({
    messages: [ItemAdded],
    handler: async (message, tx) => {
      await tx.query('INSERT INTO stock_effects (message_id, n) VALUES ($1, $2)', [message.id, message.data.n]);
    },
  });
  await consumer.start();
  await producer.start();
  return {
    producer,
    expect(count) {
      return new Promise((resolve) => {
        const latencies: number[] = [];
        waiting = { remaining: count, latencies, seen: new Set(), done: () => resolve(latencies) };
      });
    },
    async stop() {
      await producer.stop();
      await consumer.stop();
      await Promise.all([producerTransport.close(), consumerTransport.close()]);
      await Promise.all(pools.map((pool) => pool.end()));
    },
  };
}

function publishOne(producer: Messaging, n: number): Promise<string> {
  return producer.transaction((tx) =>
    producer.publish(tx, ItemAdded, { n, sentAt: now(), pad: PAD }, { key: `key-${n % 100}` }),
  );
}

/** `count` messages from `PRODUCERS` concurrent writers; messages per second until the last commit. */
async function saturate(pipeline: Pipeline, count: number): Promise<number> {
  const consumed = pipeline.expect(count);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: PRODUCERS }, async () => {
      while (next < count) await publishOne(pipeline.producer, next++);
    }),
  );
  await consumed;
  return count / ((performance.now() - started) / 1000);
}

/**
 * Messages at `rate` per second for `seconds`, each in its own transaction started on schedule (at most
 * `MAX_IN_FLIGHT` open at once: past that the offered rate falls behind, and says so).
 */
async function atRate(
  pipeline: Pipeline,
  rate: number,
  seconds: number,
): Promise<{ p50: number; p99: number; offered: number }> {
  const count = Math.round(rate * seconds);
  const consumed = pipeline.expect(count);
  const inFlight = new Set<Promise<unknown>>();
  const started = performance.now();
  for (let n = 0; n < count; n++) {
    const wait = started + (n * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    const send = publishOne(pipeline.producer, n).finally(() => inFlight.delete(send));
    inFlight.add(send);
  }
  await Promise.all(inFlight);
  const offered = count / ((performance.now() - started) / 1000);
  const latencies = (await consumed).sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), offered };
}

interface TransportResult {
  transport: string;
  rps: number;
  raw_rps: number;
  ratio: number;
  p50_ms: number;
  p99_ms: number;
  /** The fixed rate the latency was measured at: RATE, or lower when saturation leaves no headroom. */
  latency_rate: number;
}

/**
 * Raw baseline and end-to-end saturation in alternating rounds (drift on a shared machine hits both
 * alike), then latency at the fixed rate: RATE, unless saturation is below 1.25 × RATE, in which case at
 * 80 % of saturation, since at the limit latency measures the queue, not the path.
 */
async function measureTransport(target: TransportUnderTest, databases: TestDatabase[]): Promise<TransportResult> {
  const pipeline = await startPipeline(target, databases);
  try {
    say(`\n[${target.name}] warming up through createMessaging…`);
    await saturate(pipeline, Math.min(1_000, MESSAGES));
    const raws: number[] = [];
    const rates: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      say(`[${target.name}] round ${round}/${ROUNDS}: raw broker, ${MESSAGES} messages of ${MESSAGE_BYTES} bytes…`);
      const raw = await target.raw(MESSAGES);
      raws.push(raw.rps);
      say(
        `  raw: ${Math.round(raw.rps)} msg/s (p50 ${raw.p50.toFixed(1)} ms, p99 ${raw.p99.toFixed(1)} ms at saturation)`,
      );
      say(
        `[${target.name}] round ${round}/${ROUNDS}: end to end, ${PRODUCERS} producers, one message per transaction…`,
      );
      rates.push(await saturate(pipeline, MESSAGES));
      say(`  end to end: ${Math.round(rates.at(-1) ?? 0)} msg/s`);
    }
    const rps = mean(rates);
    const rawRps = mean(raws);
    const rate = rps >= RATE * 1.25 ? RATE : Math.max(100, Math.floor((rps * 0.8) / 100) * 100);
    if (rate < RATE) {
      say(`  ${RATE} msg/s leaves this machine no headroom on ${target.name} (saturation ${Math.round(rps)} msg/s)`);
    }
    say(`[${target.name}] latency at ${rate} msg/s for ${RATE_SECONDS} s…`);
    const latency = await atRate(pipeline, rate, RATE_SECONDS);
    say(
      `  p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms (offered ${Math.round(latency.offered)} msg/s)`,
    );
    return {
      transport: target.name,
      rps: Math.round(rps),
      raw_rps: Math.round(rawRps),
      ratio: round(rps / rawRps),
      p50_ms: round(latency.p50),
      p99_ms: round(latency.p99),
      latency_rate: rate,
    };
  } finally {
    await pipeline.stop();
    await target.cleanup();
  }
}

/**
 * Transactions per second of a small business write (an order row) with and without an outbox write of a
 * 1 KB event in the same transaction (`messaging.transaction`), in alternating rounds. The relay runs
 * meanwhile, publishing to the PostgreSQL message log on the same server, so the outbox's whole cost to the
 * service's database is in the figure; the same with the relay stopped is printed beside it.
 */
async function outboxTransactionRatio(databases: TestDatabase[]): Promise<number> {
  const log = await createTestDatabase({ prefix: 'bench_msg_txlog' });
  const db = await createTestDatabase({ prefix: 'bench_msg_tx' });
  databases.push(log, db);
  await migrateMessaging(db.pool);
  await db.pool.query('CREATE TABLE orders (id bigserial PRIMARY KEY, customer text NOT NULL, total integer NOT NULL)');
  const pool = createPool({ connectionString: db.url, applicationName: 'bench-tx', max: PRODUCERS + 4 });
  const transport = createPostgresTransport({ url: log.url, logger });
  const quiet = createMessaging({ service: 'benchshop', pool, transport, logger });
  const relaying = createMessaging({ service: 'benchshop', pool, transport, logger });
  const order = async (tx: PoolClient): Promise<number> => {
    const { rows } = await tx.query<{ id: number }>(
      'INSERT INTO orders (customer, total) VALUES ($1, $2) RETURNING id',
      ['customer-1', 1999],
    );
    return rows[0]?.id ?? 0;
  };
  const plain = (): Promise<unknown> => withTransaction(pool, order);
  const withOutbox = (messaging: Messaging) => (): Promise<unknown> =>
    messaging.transaction(async (tx) => {
      const orderId = await order(tx);
      await messaging.publish(tx, OrderPlaced, { orderId, pad: PAD }, { key: String(orderId) });
    });
  const rate = async (work: () => Promise<unknown>, seconds: number): Promise<number> => {
    const until = performance.now() + seconds * 1000;
    let done = 0;
    await Promise.all(
      Array.from({ length: PRODUCERS }, async () => {
        while (performance.now() < until) {
          await work();
          done++;
        }
      }),
    );
    return done / seconds;
  };
  const compare = async (label: string, outbox: () => Promise<unknown>): Promise<number> => {
    await rate(plain, 1);
    await rate(outbox, 1);
    const plainRounds: number[] = [];
    const outboxRounds: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      say(`[outbox, ${label}] round ${round}/${ROUNDS}: ${TX_SECONDS} s without the outbox, ${TX_SECONDS} s with it…`);
      plainRounds.push(await rate(plain, TX_SECONDS));
      outboxRounds.push(await rate(outbox, TX_SECONDS));
    }
    const ratio = mean(outboxRounds) / mean(plainRounds);
    say(
      `  ${label}: without ${Math.round(mean(plainRounds))} tx/s, with ${Math.round(mean(outboxRounds))} tx/s (${ratio.toFixed(2)})`,
    );
    return ratio;
  };
  try {
    // The relay stopped: the outbox only fills up meanwhile, and is emptied afterwards.
    await compare('relay stopped', withOutbox(quiet));
    await pool.query('TRUNCATE outbox');
    await relaying.start();
    return round(await compare('relay running', withOutbox(relaying)));
  } finally {
    await relaying.stop();
    await transport.close();
    await pool.end();
  }
}

export async function run(): Promise<void> {
  const databases: TestDatabase[] = [];
  try {
    const results: TransportResult[] = [];
    for (const target of await transportsUnderTest(databases)) {
      results.push(await measureTransport(target, databases));
    }
    const outboxTxRatio = await outboxTransactionRatio(databases);
    say('');
    say('transport       rps  raw_rps  ratio  p50_ms  p99_ms  at msg/s');
    for (const result of results) {
      say(
        `${result.transport.padEnd(10)} ${pad(result.rps)} ${pad(result.raw_rps)} ${pad(result.ratio, 6)} ${pad(result.p50_ms, 7)} ${pad(result.p99_ms, 7)} ${pad(result.latency_rate, 9)}`,
      );
    }
    say(`outbox_tx_ratio ${outboxTxRatio}`);
    process.stdout.write(`${JSON.stringify({ bench: 'messaging', results, outbox_tx_ratio: outboxTxRatio })}\n`);
  } finally {
    await Promise.allSettled(databases.map((db) => db.drop()));
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function pad(value: number, width = 8): string {
  return String(value).padStart(width);
}
