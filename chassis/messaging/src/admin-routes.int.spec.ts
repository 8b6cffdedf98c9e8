import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '@talad/core';
import { createLogger, createServiceApp, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { registerMessagingAdmin } from './admin-routes.ts';
import { createDeadLetterStore, type DeadLetterStore } from './dead-letters.ts';
import { migrateMessaging } from './migrations.ts';

/** The dead-letter operator endpoints, on a real database. */
let db: TestDatabase;
let app: ServiceApp;
let deadLetters: DeadLetterStore;
let woken = 0;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'dead_letters' });
  await migrateMessaging(db.pool);
  deadLetters = createDeadLetterStore(db.pool, { onReplayed: () => (woken += 1) });
  app = await createServiceApp({ name: 'warehouse', logger: createLogger({ service: 'test', level: 'silent' }) });
  registerMessagingAdmin(app, { deadLetters });
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE dead_letters, outbox');
  woken = 0;
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

async function record(key: string, body: Uint8Array | string, group = 'warehouse'): Promise<string> {
  await deadLetters.record({
    group,
    messageId: newId(),
    topic: 'shop.events',
    key,
    type: 'shop.ItemAdded.v1',
    body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
    failure: 'handler-failed',
    reason: `handler failed 5 times; last error: Error: ${key}`,
    attempts: 5,
    firstFailedAt: new Date(),
  });
  const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM dead_letters WHERE key = $1', [key]);
  return rows[0]?.id ?? '';
}

describe('dead-letter admin API', () => {
  it('lists dead letters waiting for a replay, newest first, in pages', async () => {
    const first = await record('a', '{"n":1}');
    const second = await record('b', '{"n":2}');
    await record('c', '{"n":3}', 'warehouse-audit');

    const page = await app.inject('/admin/dead-letters?limit=1&group=warehouse');
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ items: [{ id: second, key: 'b', failure: 'handler-failed' }], next: second });
    const next = await app.inject(`/admin/dead-letters?limit=1&group=warehouse&before=${second}`);
    expect(next.json().items.map((item: { id: string }) => item.id)).toEqual([first]);
    expect((await app.inject('/admin/dead-letters')).json().items).toHaveLength(3);
  });

  it('shows one dead letter with its body, base64 when it is not text', async () => {
    const text = await record('text', '{"n":1}');
    const binary = await record('binary', new Uint8Array([0xff, 0x00, 0xfe]));

    expect((await app.inject(`/admin/dead-letters/${text}`)).json()).toMatchObject({
      key: 'text',
      body: '{"n":1}',
      bodyEncoding: 'utf8',
      attempts: 5,
      replayedAt: null,
    });
    expect((await app.inject(`/admin/dead-letters/${binary}`)).json()).toMatchObject({
      body: Buffer.from([0xff, 0x00, 0xfe]).toString('base64'),
      bodyEncoding: 'base64',
    });
  });

  it('replays once: the message goes back to the outbox a single time', async () => {
    const id = await record('again', '{"n":1}');

    const first = await app.inject({ method: 'POST', url: `/admin/dead-letters/${id}/replay` });
    const second = await app.inject({ method: 'POST', url: `/admin/dead-letters/${id}/replay` });

    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ replayed: true, deadLetter: { id, replayCount: 1 } });
    expect(second.json()).toMatchObject({ replayed: false, deadLetter: { id, replayCount: 1 } });
    const { rows } = await db.pool.query<{ topic: string; key: string; body: Buffer }>(
      'SELECT topic, key, body FROM outbox',
    );
    expect(rows.map((row) => ({ ...row, body: row.body.toString() }))).toEqual([
      { topic: 'shop.events', key: 'again', body: '{"n":1}' },
    ]);
    expect(woken).toBe(1);
    expect((await app.inject('/admin/dead-letters')).json().items).toEqual([]);
    expect((await app.inject('/admin/dead-letters?state=replayed')).json().items).toHaveLength(1);
  });

  it('answers an unknown id with a 404 problem and a malformed one with a 400', async () => {
    const missing = await app.inject(`/admin/dead-letters/${newId()}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json().code).toBe('MESSAGING_DEAD_LETTER_NOT_FOUND');
    const replayMissing = await app.inject({ method: 'POST', url: `/admin/dead-letters/${newId()}/replay` });
    expect(replayMissing.statusCode).toBe(404);
    const malformed = await app.inject('/admin/dead-letters/not-an-id');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors[0]).toMatchObject({ in: 'params', name: 'id' });
    expect((await app.inject('/admin/dead-letters?state=lost')).statusCode).toBe(400);
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const document = (await app.inject('/openapi.json')).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/admin/dead-letters', '/admin/dead-letters/{id}', '/admin/dead-letters/{id}/replay']),
    );
  });
});
