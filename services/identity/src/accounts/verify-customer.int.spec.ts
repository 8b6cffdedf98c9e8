import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerVerificationFailed, CustomerVerified, VerifyCustomer } from '@talad/contracts-identity';
import { newId } from '@talad/core';
import { createMessaging, migrateMessaging, type Messaging } from '@talad/messaging';
import { createLogger } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  bearer,
  startIdentity,
  type IdentityHarness,
} from '../testing/identity-harness.ts';

/**
 * The checkout saga's first step as identity sees it: a `VerifyCustomer` command through a real message
 * log, from a requester standing in for ordering, answered on the requester's own reply topic.
 */
let identity: IdentityHarness;
let requesterDb: TestDatabase;
let requester: Messaging;
const replies: Array<{ type: string; data: unknown; correlationId: string | undefined; topic: string }> = [];

beforeAll(async () => {
  identity = await startIdentity({ prefix: 'identity_verify' });
  await identity.app.ready();
  requesterDb = await createTestDatabase({ prefix: 'identity_verify_requester' });
  await migrateMessaging(requesterDb.pool);
  requester = createMessaging({
    service: 'ordering',
    pool: requesterDb.pool,
    transport: identity.transport,
    logger: createLogger({ service: 'ordering', level: 'silent' }),
  });
  requester.subscribe({
    messages: [CustomerVerified, CustomerVerificationFailed],
    handler: async (message) => {
      replies.push({
        type: message.type,
        data: message.data,
        correlationId: message.correlationId,
        topic: message.topic,
      });
    },
  });
  await requester.start();
});

afterAll(async () => {
  await requester.stop();
  await identity.close();
  await requesterDb.drop();
});

async function eventually(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 100 && !check(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const send = (customerId: string) =>
  requester.transaction((tx) => requester.send(tx, VerifyCustomer, { customerId }, { key: customerId }));

describe('VerifyCustomer', () => {
  it('verifies an existing customer, and refuses a disabled and an unknown one with the reason', async () => {
    const active = await identity.signUp('verified@example.com');
    const disabled = await identity.signUp('disabled@example.com');
    const admin = await identity.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const disabling = await identity.app.inject({
      method: 'POST',
      url: `/admin/customers/${disabled.id}/disable`,
      headers: bearer(admin.access_token),
    });
    expect(disabling.statusCode).toBe(204);
    const unknown = newId();

    const commands = {
      active: await send(active.id),
      disabled: await send(disabled.id),
      unknown: await send(unknown),
    };
    await eventually(() => replies.length >= 3);

    const replyTo = (commandId: string) => replies.filter((reply) => reply.correlationId === commandId);
    expect(replyTo(commands.active)).toEqual([
      {
        type: 'identity.CustomerVerified.v1',
        data: { customerId: active.id },
        correlationId: commands.active,
        topic: 'ordering.replies',
      },
    ]);
    expect(replyTo(commands.disabled)).toEqual([
      {
        type: 'identity.CustomerVerificationFailed.v1',
        data: { customerId: disabled.id, reason: 'CUSTOMER_DISABLED' },
        correlationId: commands.disabled,
        topic: 'ordering.replies',
      },
    ]);
    expect(replyTo(commands.unknown)).toEqual([
      {
        type: 'identity.CustomerVerificationFailed.v1',
        data: { customerId: unknown, reason: 'CUSTOMER_NOT_FOUND' },
        correlationId: commands.unknown,
        topic: 'ordering.replies',
      },
    ]);
    expect(replies).toHaveLength(3);
  });

  it('is ready only while its broker answers too', async () => {
    const response = await identity.app.inject('/health/ready');
    expect(response.statusCode).toBe(200);
    expect(response.json().checks.broker.status).toBe('up');
  });
});
