import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestIssuer, type TestIssuer } from '@talad/auth/testing';
import { defineMessage, migrateMessaging, type Transport } from '@talad/messaging';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createLogger } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { createMessagingApp, type MessagingApp } from './create-messaging-app.ts';

const Pinged = defineMessage({ type: 'demo.Pinged.v1', kind: 'event', schema: z.object({ n: z.int() }) });

let db: TestDatabase;
let messageLog: TestDatabase;
let transport: Transport;
let issuer: TestIssuer;
let service: MessagingApp;
const received: number[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'bootstrap_app' });
  await migrateMessaging(db.pool);
  messageLog = await createTestDatabase({ prefix: 'bootstrap_log' });
  transport = createPostgresTransport({ url: messageLog.url });
  issuer = await createTestIssuer();
  service = await createMessagingApp({
    name: 'demo',
    description: 'A service made only of what every messaging service has.',
    pool: db.pool,
    transport,
    verifier: issuer.verifier,
    logger: createLogger({ service: 'demo', level: 'silent' }),
  });
  service.messaging.subscribe({
    messages: [Pinged],
    handler: async (message) => {
      received.push(message.data.n);
    },
  });
  await service.app.ready();
});

afterAll(async () => {
  await service.app.close();
  await transport.close();
  await messageLog.drop();
  await db.drop();
});

describe('a messaging service app', () => {
  it('is ready only with its database and broker, and names both', async () => {
    const answer = await service.app.inject({ method: 'GET', url: '/health/ready' });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('database');
    expect(answer.body).toContain('broker');
  });

  it('runs its messaging once ready: a published event reaches its own subscription', async () => {
    await service.messaging.transaction((tx) => service.messaging.publish(tx, Pinged, { n: 7 }, { key: 'k' }));
    await expect.poll(() => received, { timeout: 10_000 }).toContain(7);
  });

  it('opens the dead letters to admins and the messaging:admin scope only', async () => {
    const customer = await issuer.tokenFor({ sub: '0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e', roles: ['customer'] });
    const client = await issuer.tokenFor({ sub: 'talad-admin', client_id: 'talad-admin', scope: 'messaging:admin' });
    const ask = (token?: string) =>
      service.app.inject({
        method: 'GET',
        url: '/admin/dead-letters',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    expect((await ask()).statusCode).toBe(401);
    expect((await ask(customer)).statusCode).toBe(403);
    expect((await ask(client)).statusCode).toBe(200);
  });
});
