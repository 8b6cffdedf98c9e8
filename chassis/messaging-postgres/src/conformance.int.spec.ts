import pg from 'pg';
import { afterAll } from 'vitest';
import { describeMessagingConformance } from '@talad/messaging/testing';
import { createTestDatabase, testServerUrl, type TestDatabase } from '@talad/testing';
import { createPostgresTransport } from './postgres-transport.ts';

/** Every end-to-end messaging scenario, on the PostgreSQL message log in a database of its own. */
let logDatabase: Promise<TestDatabase> | undefined;
afterAll(async () => {
  await (await logDatabase)?.drop();
});

async function onServer(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: testServerUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

describeMessagingConformance(
  'the PostgreSQL message log',
  async () => {
    logDatabase ??= createTestDatabase({ prefix: 'message_log' });
    const { url } = await logDatabase;
    return createPostgresTransport({ url, rebalanceIntervalMs: 500, reconnectDelayMs: 300 });
  },
  {
    // The log's database refuses connections and every open one is cut, as when its server is down.
    outage: async () => {
      const { name } = await (logDatabase ?? Promise.reject(new Error('no message log yet')));
      await onServer(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await onServer(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
      return () => onServer(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
    },
  },
);
