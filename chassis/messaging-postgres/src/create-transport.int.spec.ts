import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport } from '@talad/messaging';
import { createTestDatabase, type TestDatabase } from '@talad/testing';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'message_log_url' });
});
afterAll(async () => {
  await db.drop();
});

describe('createTransport with a PostgreSQL URL', () => {
  it.each(['postgres:', 'postgresql:'])('loads the message log for %s// URLs', async (scheme) => {
    const transport = await createTransport(db.url.replace(/^postgres(ql)?:/, scheme), { partitions: 8 });
    try {
      expect(transport).toMatchObject({ kind: 'postgres', partitions: 8 });
      await expect(transport.ping()).resolves.toBeUndefined();
    } finally {
      await transport.close();
    }
  });
});
