import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '@talad/core';
import type { AnyMessageDefinition, MessageInput } from '@talad/messaging';
import { createMessagingHarness, eventually, type MessagingHarness, type TestInstance } from '@talad/messaging/testing';
import { createPostgresTransport } from '@talad/messaging-postgres';
import type { PoolClient } from '@talad/pg';
import { createLogger } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { migrateSaga } from './migrations.ts';
import { createSagaOrchestrator, type SagaInstanceView, type SagaOrchestrator } from './orchestrator.ts';
import { toyContract, toyWaitingSaga, type ToyContract, type ToyData } from './testing/toy-saga.ts';

/**
 * A step that waits for an event after a pending reply, on real PostgreSQL and the PostgreSQL message
 * log: the shop answers `Charge` with `ChargePending`, and the test announces `Paid` or `Lapsed` as the
 * shop would, days later.
 */
let log: TestDatabase;
let harness: MessagingHarness | undefined;
const silent = createLogger({ service: 'saga-test', level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

beforeAll(async () => {
  log = await createTestDatabase({ prefix: 'saga_event_log' });
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});
afterAll(async () => {
  await log.drop();
});

interface World {
  c: ToyContract;
  clock: ReturnType<typeof manualClock>;
  orchestrator: SagaOrchestrator;
  orderer: TestInstance;
  commands: string[];
  start(sagaId: string): Promise<void>;
  announce<Definition extends AnyMessageDefinition & { kind: 'event' }>(
    event: Definition,
    data: MessageInput<Definition>,
  ): Promise<void>;
  outcomes(): Promise<Array<{ saga_id: string; outcome: string; reason: string | null }>>;
}

async function world(options: { waitMs?: number } = {}): Promise<World> {
  harness = createMessagingHarness(() =>
    createPostgresTransport({ url: log.url, rebalanceIntervalMs: 200, reconnectDelayMs: 300, pollIntervalMs: 100 }),
  );
  const ordererService = await harness.service();
  const shopService = await harness.service();
  await migrateSaga(ordererService.db.pool);
  await ordererService.db.pool.query(
    'CREATE TABLE toy_outcomes (saga_id text NOT NULL, outcome text NOT NULL, reason text)',
  );
  const c = toyContract(shopService.name);
  const clock = manualClock();
  const commands: string[] = [];
  const shop = await shopService.instance({
    subscribe: (messaging) =>
      messaging.subscribe({
        messages: [c.Reserve, c.Release, c.Charge, c.Refund, c.Commit],
        handler: async (message, tx) => {
          commands.push(message.type.split('.')[1] ?? message.type);
          const sagaId = message.data.sagaId;
          const name = message.type.split('.')[1];
          if (name === 'Reserve') await messaging.reply(tx, message, c.Reserved, { sagaId });
          if (name === 'Release') await messaging.reply(tx, message, c.Released, { sagaId });
          if (name === 'Refund') await messaging.reply(tx, message, c.Refunded, { sagaId });
          if (name === 'Commit') await messaging.reply(tx, message, c.Committed, { sagaId });
          if (name === 'Charge') {
            await messaging.reply(tx, message, c.ChargePending, { sagaId, slip: `slip-${sagaId.slice(0, 8)}` });
          }
        },
      }),
  });
  const orderer = await ordererService.instance({ start: false });
  const record = async (tx: PoolClient, sagaId: string, outcome: string, reason: string | null) => {
    await tx.query('INSERT INTO toy_outcomes VALUES ($1, $2, $3)', [sagaId, outcome, reason]);
  };
  const orchestrator = createSagaOrchestrator({
    pool: ordererService.pool,
    messaging: orderer.messaging,
    clock,
    logger: silent,
    definitions: [
      toyWaitingSaga(c, {
        ...(options.waitMs === undefined ? {} : { waitMs: options.waitMs }),
        onCompleted: (tx, { sagaId }) => record(tx, sagaId, 'completed', null),
        onCompensated: (tx, { sagaId, reason }) => record(tx, sagaId, 'compensated', reason),
      }),
    ],
  });
  orchestrator.subscribe();
  await orderer.messaging.start();
  return {
    c,
    clock,
    orchestrator,
    orderer,
    commands,
    async start(sagaId) {
      await orderer.messaging.transaction((tx) =>
        orchestrator.start(tx, 'toy', sagaId, { sagaId, amount: 1_500 } satisfies ToyData),
      );
    },
    async announce(event, data) {
      await shop.messaging.transaction(async (tx) => {
        await shop.messaging.publish(tx, event, data, { key: (data as { sagaId: string }).sagaId });
      });
    },
    outcomes: async () =>
      (
        await ordererService.pool.query<{ saga_id: string; outcome: string; reason: string | null }>(
          'SELECT * FROM toy_outcomes ORDER BY saga_id',
        )
      ).rows,
  };
}

function until(w: World, sagaId: string, accept: (saga: SagaInstanceView) => boolean, what: string) {
  return eventually(
    () => w.orchestrator.get(sagaId),
    (saga) => saga !== undefined && accept(saga),
    { what },
  );
}

const waiting = (saga: SagaInstanceView) => saga.awaiting?.phase === 'event';

/** How many messages of `type` the orchestrator's group has handled (whether or not they applied). */
function handled(w: World, type: string, count: number) {
  return eventually(
    () => w.orderer.metric('messaging_consumed_total', { type, outcome: 'handled' }),
    (value) => value === count,
    { what: `${count} ${type} handled` },
  );
}

describe('a saga step that waits for an event', () => {
  it('waits after the pending reply, continues on the success event, and ignores the same event again', async () => {
    const w = await world();
    const sagaId = randomUUID();
    await w.start(sagaId);
    const waited = await until(w, sagaId, waiting, 'the charge step to wait for its event');
    expect(waited?.awaiting).toMatchObject({ step: 'charge', phase: 'event', requestId: null, deadlineAt: null });
    expect(waited?.steps.map((s) => s.state)).toEqual(['done', 'running', 'pending']);
    expect(waited?.data).toMatchObject({ slip: `slip-${sagaId.slice(0, 8)}` });
    expect(await w.orchestrator.sweepDeadlines()).toBe(0);

    await w.announce(w.c.Paid, { sagaId, paidAt: '2026-01-02T03:04:05.000Z' });
    const done = await until(w, sagaId, (s) => s.state === 'completed', 'completion');
    expect(done?.data).toMatchObject({ paidAt: '2026-01-02T03:04:05.000Z' });
    expect(done?.history.map((h) => `${h.kind} ${h.step}`)).toEqual([
      'command reserve',
      'reply reserve',
      'command charge',
      'reply charge',
      'event charge',
      'command commit',
      'reply commit',
    ]);

    await w.announce(w.c.Paid, { sagaId, paidAt: '2026-01-02T03:04:06.000Z' });
    await w.announce(w.c.Lapsed, { sagaId });
    await handled(w, w.c.Paid.type, 2);
    await handled(w, w.c.Lapsed.type, 1);
    const after = await w.orchestrator.get(sagaId);
    expect(after?.history).toHaveLength(7);
    expect(after?.data).toMatchObject({ paidAt: '2026-01-02T03:04:05.000Z' });
    expect(await w.outcomes()).toEqual([{ saga_id: sagaId, outcome: 'completed', reason: null }]);
    expect(w.commands).toEqual(['Reserve', 'Charge', 'Commit']);
  });

  it('compensates on the failure event: the waiting step first, then the ones before it', async () => {
    const w = await world();
    const sagaId = randomUUID();
    await w.start(sagaId);
    await until(w, sagaId, waiting, 'the wait');
    await w.announce(w.c.Lapsed, { sagaId });
    const saga = await until(w, sagaId, (s) => s.state === 'compensated', 'compensation');
    expect(saga?.reason).toBe('LAPSED');
    expect(saga?.steps.map((s) => s.state)).toEqual(['compensated', 'compensated', 'skipped']);
    expect(w.commands).toEqual(['Reserve', 'Charge', 'Refund', 'Release']);
    expect(await w.outcomes()).toEqual([{ saga_id: sagaId, outcome: 'compensated', reason: 'LAPSED' }]);
  });

  it('ignores events about a saga it does not know, without a dead letter', async () => {
    const w = await world();
    const known = randomUUID();
    await w.start(known);
    await until(w, known, waiting, 'the wait');
    await w.announce(w.c.Paid, { sagaId: randomUUID(), paidAt: '2026-01-02T03:04:05.000Z' });
    await w.announce(w.c.Lapsed, { sagaId: 'not-a-saga' });
    await handled(w, w.c.Paid.type, 1);
    await handled(w, w.c.Lapsed.type, 1);
    expect((await w.orderer.messaging.deadLetters.list({ limit: 10 })).length).toBe(0);
    expect((await w.orchestrator.get(known))?.awaiting?.phase).toBe('event');
  });

  it("times the wait out at the step's event deadline, once under two sweepers", async () => {
    const w = await world({ waitMs: 60_000 });
    const sagaId = randomUUID();
    await w.start(sagaId);
    const waited = await until(w, sagaId, waiting, 'the wait');
    expect(waited?.awaiting?.deadlineAt).not.toBeNull();
    w.clock.advance(61_000);
    const fired = await Promise.all([w.orchestrator.sweepDeadlines(), w.orchestrator.sweepDeadlines()]);
    expect(fired[0] + fired[1]).toBe(1);
    const saga = await until(w, sagaId, (s) => s.state === 'compensated', 'compensation');
    expect(saga?.reason).toBe('STEP_TIMED_OUT');
    expect(w.commands).toEqual(['Reserve', 'Charge', 'Refund', 'Release']);
  });
});
