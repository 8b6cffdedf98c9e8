import { afterAll } from 'vitest';
import { describeProcessCrashes } from '@talad/messaging/testing';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { createPostgresTransport } from './postgres-transport.ts';

/** Real processes killed with SIGKILL mid-stream on the PostgreSQL message log, in a database of its own. */
const log: TestDatabase = await createTestDatabase({ prefix: 'message_log_crash' });
afterAll(() => log.drop());

describeProcessCrashes('the PostgreSQL message log', {
  brokerUrl: log.url,
  makeTransport: () => createPostgresTransport({ url: log.url, rebalanceIntervalMs: 500, reconnectDelayMs: 300 }),
});
