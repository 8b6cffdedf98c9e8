import { createTestIssuer, type TestIssuer } from '@talad/auth/testing';
import type { Product } from '@talad/contracts-catalog';
import {
  ReservationCommitFailed,
  ReservationCommitted,
  StockLevelChanged,
  StockReleased,
  StockReservationFailed,
  StockReserved,
  StockReturned,
} from '@talad/contracts-inventory';
import { manualClock } from '@talad/core';
import {
  createMessaging,
  migrateMessaging,
  type AnyMessageDefinition,
  type MessageInput,
  type Messaging,
  type Transport,
} from '@talad/messaging';
import { eventually } from '@talad/messaging/testing';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createPool, type Pool } from '@talad/pg';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { buildInventoryApp } from '../app.ts';
import { migrationsDirectory } from '../migrations.ts';
import { startSnapshotCatalog, type SnapshotCatalog } from './snapshot-catalog.ts';

export type ManualClock = ReturnType<typeof manualClock>;

/** A reply as the requester received it. */
export interface ReceivedReply {
  type: string;
  data: Record<string, unknown>;
  correlationId: string | undefined;
}

/**
 * A service standing in for ordering: sends inventory's commands through its own outbox and collects
 * the replies on its own reply topic, and every `StockLevelChanged` inventory publishes.
 */
export interface Requester {
  send<Definition extends AnyMessageDefinition & { kind: 'command' }>(
    definition: Definition,
    data: MessageInput<Definition>,
  ): Promise<string>;
  /** Waits for the reply to the command with this id. */
  replyTo(commandId: string): Promise<ReceivedReply>;
  readonly replies: ReceivedReply[];
  readonly stockEvents: Array<{ productId: string; available: number }>;
}

export interface InventoryHarness {
  readonly app: ServiceApp;
  readonly db: TestDatabase;
  /** The app's own pool (larger than the test database's, for concurrent handlers). */
  readonly pool: Pool;
  readonly transport: Transport;
  readonly catalog: SnapshotCatalog;
  readonly issuer: TestIssuer;
  readonly clock: ManualClock;
  readonly requester: Requester;
  /** Headers of an administrator's request. */
  admin(): Promise<Record<string, string>>;
  /** Resolves once inventory says it is ready (its stock seeded). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface InventoryHarnessOptions {
  prefix: string;
  products: Product[];
  /** Defaults to 0: no sweeper in the app, tests sweep when they choose. */
  sweepIntervalMs?: number;
  bootstrapRetryDelayMs?: number;
  /** Called with the catalog stand-in before inventory starts. */
  beforeStart?: (catalog: SnapshotCatalog) => void;
}

const silent = (service: string) => createLogger({ service, level: 'silent' });

/** Inventory on a real database and a real PostgreSQL message log, with a catalog stand-in and a requester. */
export async function startInventory(options: InventoryHarnessOptions): Promise<InventoryHarness> {
  const db = await createTestDatabase({ prefix: options.prefix, migrations: migrationsDirectory });
  await migrateMessaging(db.pool);
  const pool = createPool({ connectionString: db.url, applicationName: 'inventory', max: 12 });
  const messageLog = await createTestDatabase({ prefix: `${options.prefix}_log` });
  const transport = createPostgresTransport({ url: messageLog.url, poolSize: 4 });
  const requesterDb = await createTestDatabase({ prefix: `${options.prefix}_ordering` });
  await migrateMessaging(requesterDb.pool);
  const catalog = await startSnapshotCatalog(options.products);
  options.beforeStart?.(catalog);
  const issuer = await createTestIssuer();
  const clock = manualClock(new Date('2026-03-01T10:00:00Z'));
  const app = await buildInventoryApp({
    pool,
    transport,
    verifier: issuer.verifier,
    catalogUrl: catalog.url,
    clock,
    logger: silent('inventory'),
    sweepIntervalMs: options.sweepIntervalMs ?? 0,
    bootstrapRetryDelayMs: options.bootstrapRetryDelayMs ?? 50,
  });
  const { messaging: requesterMessaging, requester } = createRequester(requesterDb.pool, transport);
  await requesterMessaging.start();
  await app.ready();

  return {
    app,
    db,
    pool,
    transport,
    catalog,
    issuer,
    clock,
    requester,
    admin: async () => ({ authorization: `Bearer ${await issuer.tokenFor({ sub: 'admin-1', roles: ['admin'] })}` }),
    ready: async () => {
      await eventually(
        async () => (await app.inject('/health/ready')).statusCode,
        (status) => status === 200,
        { what: 'inventory to be ready' },
      );
    },
    close: async () => {
      await requesterMessaging.stop();
      await app.close();
      await transport.close();
      await catalog.close();
      await pool.end();
      await db.drop();
      await requesterDb.drop();
      await messageLog.drop();
    },
  };
}

function createRequester(pool: Pool, transport: Transport): { messaging: Messaging; requester: Requester } {
  const messaging = createMessaging({ service: 'ordering', pool, transport, logger: silent('ordering') });
  const replies: ReceivedReply[] = [];
  const stockEvents: Array<{ productId: string; available: number }> = [];
  messaging.subscribe({
    messages: [
      StockReserved,
      StockReservationFailed,
      StockReleased,
      ReservationCommitted,
      ReservationCommitFailed,
      StockReturned,
    ],
    handler: async (message) => {
      replies.push({
        type: message.type,
        data: message.data,
        correlationId: message.correlationId,
      });
    },
  });
  messaging.subscribe({
    messages: [StockLevelChanged],
    handler: async (message) => {
      stockEvents.push(message.data);
    },
  });
  const requester: Requester = {
    replies,
    stockEvents,
    send: (definition, data) =>
      messaging.transaction((tx) =>
        messaging.send(tx, definition, data, { key: (data as { orderId?: string }).orderId ?? 'inventory' }),
      ),
    async replyTo(commandId) {
      const found = await eventually(
        () => replies.filter((reply) => reply.correlationId === commandId),
        (matching) => matching.length > 0,
        { what: `the reply to ${commandId}` },
      );
      const [first] = found;
      if (!first) throw new Error(`no reply to ${commandId}`);
      return first;
    },
  };
  return { messaging, requester };
}
