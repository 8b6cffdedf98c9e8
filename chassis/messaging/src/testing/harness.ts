import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createPool, type Pool, type PoolClient } from '@talad/pg';
import { createLogger, Registry, type Logger } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { defineMessage } from '../message-definition.ts';
import { createMessaging, type Messaging, type MessagingOptions } from '../messaging.ts';
import { migrateMessaging } from '../migrations.ts';
import type { IncomingMessage } from '../received-message.ts';
import type { Transport } from '../transport.ts';

/** Makes a new transport, connected to the broker under test; called once per service instance. */
export type TransportFactory = () => Promise<Transport> | Transport;

/** The messages every scenario uses, owned by one test service (so topics never clash between tests). */
export function testContract(service: string) {
  const item = z.object({ n: z.int(), note: z.string().optional() });
  return {
    ItemAdded: defineMessage({ type: `${service}.ItemAdded.v1`, kind: 'event', schema: item }),
    ItemRemoved: defineMessage({ type: `${service}.ItemRemoved.v1`, kind: 'event', schema: item }),
    ReserveItem: defineMessage({ type: `${service}.ReserveItem.v1`, kind: 'command', schema: item }),
    ItemReserved: defineMessage({
      type: `${service}.ItemReserved.v1`,
      kind: 'reply',
      schema: z.object({ n: z.int(), reservation: z.string() }),
    }),
  };
}

export type TestContract = ReturnType<typeof testContract>;

/** One handled message, as a test handler records it in the service's database. */
export interface Effect {
  seq: number;
  messageId: string;
  type: string;
  key: string;
  n: number;
  instance: string;
}

export interface TestInstance {
  readonly name: string;
  readonly messaging: Messaging;
  readonly transport: Transport;
  readonly registry: Registry;
  /** Sum of a metric's values whose labels include `labels`. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Stops messaging and closes the transport (idempotent). */
  stop(): Promise<void>;
}

export interface InstanceOptions extends Partial<Omit<MessagingOptions, 'service' | 'pool' | 'transport'>> {
  /** Registers subscriptions before start. */
  subscribe?: (messaging: Messaging, instance: string) => void;
  /** Defaults to true. */
  start?: boolean;
}

export interface TestService {
  /** Unique per test: `s` and hex digits, so topics of different tests never meet. */
  readonly name: string;
  readonly contract: TestContract;
  readonly db: TestDatabase;
  /** A pool on the service's database for the test's own queries; each instance has its own. */
  readonly pool: Pool;
  instance(options?: InstanceOptions): Promise<TestInstance>;
  /** Records that `message` was handled, in the handler's transaction. */
  recordEffect(tx: PoolClient, message: IncomingMessage, instance: string): Promise<void>;
  effects(): Promise<Effect[]>;
}

export interface MessagingHarness {
  /** A service with a fresh database: the messaging tables, `test_effects` and `test_items`. */
  service(): Promise<TestService>;
  /** Stops every instance and drops every database. */
  close(): Promise<void>;
}

const silent: Logger = createLogger({ service: 'test', level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

/**
 * Builds services, each with its own database, and instances of them, each with its own transport
 * (as separate processes would have), for end-to-end messaging scenarios.
 *
 * @example
 * const harness = createMessagingHarness(() => createPostgresTransport({ url }));
 * const shop = await harness.service();
 * const producer = await shop.instance();
 */
export function createMessagingHarness(makeTransport: TransportFactory): MessagingHarness {
  const databases: TestDatabase[] = [];
  const pools: Pool[] = [];
  const instances: TestInstance[] = [];
  const poolFor = (db: TestDatabase, applicationName: string): Pool => {
    const pool = createPool({ connectionString: db.url, applicationName, max: 12 });
    pools.push(pool);
    return pool;
  };

  return {
    async service() {
      const name = `s${randomBytes(4).toString('hex')}`;
      const db = await createTestDatabase({ prefix: `msg_${name}` });
      databases.push(db);
      await migrateMessaging(db.pool);
      await db.pool.query(`CREATE TABLE test_effects (
        seq bigserial PRIMARY KEY,
        message_id text NOT NULL,
        type text NOT NULL,
        key text NOT NULL,
        n integer NOT NULL,
        instance text NOT NULL
      )`);
      // The business change a worker process commits with each event it publishes (worker.ts).
      await db.pool.query(
        `CREATE TABLE test_items (n integer PRIMARY KEY, key text NOT NULL, message_id text NOT NULL)`,
      );
      let instanceCount = 0;
      const service: TestService = {
        name,
        contract: testContract(name),
        db,
        pool: poolFor(db, `${name}-test`),
        async instance(options = {}) {
          instanceCount += 1;
          const instanceName = `${name}-${instanceCount}`;
          const transport = await makeTransport();
          const registry = options.registry ?? new Registry();
          const { subscribe, start, ...messagingOptions } = options;
          const messaging = createMessaging({
            logger: silent,
            ...messagingOptions,
            registry,
            service: name,
            // Its own pool, as a separate process would have: killing one instance's connections
            // leaves the others alone.
            pool: poolFor(db, instanceName),
            transport,
          });
          subscribe?.(messaging, instanceName);
          let stopped: Promise<void> | undefined;
          const instance: TestInstance = {
            name: instanceName,
            messaging,
            transport,
            registry,
            metric: (metricName, labels = {}) => metricValue(registry, metricName, labels),
            stop: () =>
              (stopped ??= (async () => {
                await messaging.stop();
                await transport.close();
              })()),
          };
          instances.push(instance);
          if (start ?? true) await messaging.start();
          return instance;
        },
        async recordEffect(tx, message, instance) {
          const data = message.data as { n?: number };
          await tx.query('INSERT INTO test_effects (message_id, type, key, n, instance) VALUES ($1, $2, $3, $4, $5)', [
            message.id,
            message.type,
            message.subject,
            data.n ?? -1,
            instance,
          ]);
        },
        async effects() {
          const { rows } = await service.pool.query<Effect>(
            `SELECT seq, message_id AS "messageId", type, key, n, instance FROM test_effects ORDER BY seq`,
          );
          return rows;
        },
      };
      return service;
    },

    async close() {
      await Promise.allSettled(instances.map((instance) => instance.stop()));
      await Promise.allSettled(pools.map((pool) => pool.end()));
      await Promise.allSettled(databases.map((db) => db.drop()));
    },
  };
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((value) => Object.entries(labels).every(([label, expected]) => String(value.labels[label]) === expected))
    .reduce((sum, value) => sum + value.value, 0);
}

/**
 * Polls until `probe` returns a value `accept` likes, or fails after the timeout with the last value,
 * so a failing scenario says what it saw instead of just timing out.
 */
export async function eventually<T>(
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${options.what ?? 'a condition'}; last value: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
    last = await probe();
  }
  return last;
}

/**
 * Resolves once `condition` holds, polling; fails after `timeoutMs` naming `what`.
 *
 * @example
 * await waitFor('both deliveries', () => deliveries.length === 2);
 */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  await eventually(condition, Boolean, { what, timeoutMs, intervalMs: 20 });
}

export function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** A promise opened from outside: handlers wait on it so a test controls when they finish. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
