/**
 * A quick local measurement of messages per second through the whole path on the PostgreSQL message
 * log: outbox write in a transaction, relay, log, consumer (inbox + a one-row effect). Not a test
 * (timings are never asserted); run it by hand:
 *
 *   npx node chassis/messaging-postgres/src/measure-throughput.ts [messages=5000] [producers=8]
 *
 * Prints the end-to-end rate (producers and consumer running together) and the drain rate (a
 * backlog consumed by a consumer started afterwards).
 */
import { z } from 'zod';
import { createMessaging, defineMessage, migrateMessaging, type Messaging } from '@talad/messaging';
import { createLogger } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { createPostgresTransport } from './postgres-transport.ts';

const total = Number(process.argv[2] ?? 5_000);
const producers = Number(process.argv[3] ?? 8);
const logger = createLogger({ service: 'throughput', level: 'warn' });
const ItemAdded = defineMessage({ type: 'shop.ItemAdded.v1', kind: 'event', schema: z.object({ n: z.int() }) });

const databases: TestDatabase[] = [];
async function database(prefix: string, effects: boolean): Promise<TestDatabase> {
  const db = await createTestDatabase({ prefix });
  databases.push(db);
  await migrateMessaging(db.pool);
  if (effects) await db.pool.query('CREATE TABLE effects (message_id text PRIMARY KEY, n integer NOT NULL)');
  return db;
}

async function publishAll(messaging: Messaging, count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: producers }, async () => {
      while (next < count) {
        const n = next++;
        await messaging.transaction((tx) => messaging.publish(tx, ItemAdded, { n }, { key: `key-${n % 100}` }));
      }
    }),
  );
}

async function run(label: string, startConsumerFirst: boolean): Promise<void> {
  const log = await database('throughput_log', false);
  const shop = await database('throughput_shop', false);
  const warehouse = await database('throughput_warehouse', true);
  const transports = [
    createPostgresTransport({ url: log.url, logger }),
    createPostgresTransport({ url: log.url, logger }),
  ];
  const [producerTransport, consumerTransport] = transports as [(typeof transports)[0], (typeof transports)[0]];
  const producer = createMessaging({ service: 'shop', pool: shop.pool, transport: producerTransport, logger });
  const consumer = createMessaging({
    service: 'warehouse',
    pool: warehouse.pool,
    transport: consumerTransport,
    logger,
  });
  let handled = 0;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  consumer.subscribe({
    messages: [ItemAdded],
    handler: async (message, tx) => {
      await tx.query('INSERT INTO effects (message_id, n) VALUES ($1, $2)', [message.id, message.data.n]);
      if (++handled === total) finished();
    },
  });
  // The group must exist before publishing (it starts at "now"), so consume once, then stop if measuring a drain.
  await consumer.start();
  await producer.start();
  let started = performance.now();
  if (!startConsumerFirst) {
    await consumer.stop();
    await publishAll(producer, total);
    await waitForEmptyOutbox(shop);
    const restarted = createMessaging({
      service: 'warehouse',
      pool: warehouse.pool,
      transport: consumerTransport,
      logger,
    });
    restarted.subscribe({
      messages: [ItemAdded],
      handler: async (message, tx) => {
        await tx.query('INSERT INTO effects (message_id, n) VALUES ($1, $2)', [message.id, message.data.n]);
        if (++handled === total) finished();
      },
    });
    started = performance.now();
    await restarted.start();
    await done;
    await restarted.stop();
  } else {
    await publishAll(producer, total);
    await done;
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${label}: ${total} messages in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} messages/s\n`,
  );
  await producer.stop();
  await consumer.stop();
  await Promise.all(transports.map((transport) => transport.close()));
}

async function waitForEmptyOutbox(db: TestDatabase): Promise<void> {
  for (;;) {
    const { rows } = await db.pool.query<{ depth: number }>('SELECT count(*)::int AS depth FROM outbox');
    if (rows[0]?.depth === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

try {
  await run(`end to end (${producers} producers, one message per transaction, consumer running)`, true);
  await run('drain of a backlog (consumer started after publishing)', false);
} finally {
  await Promise.all(databases.map((db) => db.drop()));
}
