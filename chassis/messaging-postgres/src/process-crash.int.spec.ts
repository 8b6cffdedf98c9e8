import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createMessagingHarness,
  eventually,
  workerScript,
  type MessagingHarness,
  type TestService,
} from '@talad/messaging/testing';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { createPostgresTransport } from './postgres-transport.ts';

/** Real processes killed with SIGKILL mid-stream, then started again: still one effect per message. */
let log: TestDatabase;
let harness: MessagingHarness;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  log = await createTestDatabase({ prefix: 'message_log_crash' });
  harness = createMessagingHarness(() => createPostgresTransport({ url: log.url }));
});
afterEach(() => {
  for (const worker of workers.splice(0)) worker.kill('SIGKILL');
});
afterAll(async () => {
  await harness.close();
  await log.drop();
});

/** Starts worker.ts for a service; resolves once it printed `ready`. */
async function startWorker(service: TestService, env: Record<string, string> = {}): Promise<ChildProcess> {
  const worker = spawn(process.execPath, [workerScript], {
    env: { ...process.env, DATABASE_URL: service.db.url, BROKER_URL: log.url, SERVICE: service.name, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.push(worker);
  let output = '';
  worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    worker.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
  });
  return worker;
}

async function kill(worker: ChildProcess): Promise<void> {
  const exited = once(worker, 'exit');
  worker.kill('SIGKILL');
  await exited;
}

describe('processes killed mid-stream', () => {
  it('a consumer killed while handling resumes after restart with one effect per message', async () => {
    const shop = await harness.service();
    const warehouse = await harness.service();
    const producer = await shop.instance();
    // Slow handlers, so the kill lands with most of the messages still to do.
    const consumer = await startWorker(warehouse, { SUBSCRIBE_TO: shop.name, HANDLER_DELAY_MS: '50' });
    const total = 150;

    await producer.messaging.transaction(async (tx) => {
      for (let n = 0; n < total; n++) {
        await producer.messaging.publish(tx, shop.contract.ItemAdded, { n }, { key: `key-${n % 10}` });
      }
    });
    await eventually(
      () => warehouse.effects(),
      (rows) => rows.length >= 30,
      { what: 'some effects' },
    );
    await kill(consumer);
    const beforeRestart = (await warehouse.effects()).length;
    await startWorker(warehouse, { SUBSCRIBE_TO: shop.name });

    const effects = await eventually(
      () => warehouse.effects(),
      (rows) => new Set(rows.map((row) => row.n)).size === total,
      { what: 'every message after the restart', timeoutMs: 40_000 },
    );
    expect(beforeRestart).toBeLessThan(total);
    expect(effects).toHaveLength(total);
    expect(new Set(effects.map((effect) => effect.instance)).size).toBe(2);
  });

  it('a producer killed while its relay publishes loses nothing it committed, and duplicates nothing', async () => {
    const shop = await harness.service();
    const warehouse = await harness.service();
    await warehouse.instance({
      subscribe: (messaging, instance) =>
        messaging.subscribe({
          messages: [shop.contract.ItemAdded],
          handler: async (message, tx) => warehouse.recordEffect(tx, message, instance),
        }),
    });
    const producer = await startWorker(shop, { PUBLISH_COUNT: '300' });

    await eventually(
      () => warehouse.effects(),
      (rows) => rows.length >= 20,
      { what: 'some effects' },
    );
    await kill(producer);
    await startWorker(shop);

    await eventually(
      async () =>
        (await shop.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM outbox')).rows[0]?.count,
      (left) => left === 0,
      { what: 'the restarted relay to drain the outbox' },
    );
    const published = await log.pool.query<{ count: number }>(
      'SELECT count(DISTINCT id)::int AS count FROM message_log WHERE topic = $1',
      [`${shop.name}.events`],
    );
    const committed = published.rows[0]?.count ?? 0;
    const effects = await eventually(
      () => warehouse.effects(),
      (rows) => rows.length >= committed,
      {
        what: 'every committed message',
      },
    );
    expect(committed).toBeGreaterThanOrEqual(20);
    expect(effects).toHaveLength(committed);
    expect(new Set(effects.map((effect) => effect.messageId)).size).toBe(committed);
  });
});
