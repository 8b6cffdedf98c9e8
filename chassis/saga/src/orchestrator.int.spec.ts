import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '@talad/core';
import type { AnyMessageDefinition, IncomingMessage, MessageInput } from '@talad/messaging';
import { createMessagingHarness, eventually, type MessagingHarness, type TestInstance } from '@talad/messaging/testing';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createLogger } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { defineSaga, step, type AnySagaDefinition } from './definition.ts';
import { migrateSaga } from './migrations.ts';
import { createSagaOrchestrator, type SagaInstanceView, type SagaOrchestrator } from './orchestrator.ts';
import { toyContract, toySaga, type ToyContract, type ToyData } from './testing/toy-saga.ts';

/**
 * The orchestrator on real PostgreSQL and the PostgreSQL message log, against a toy participant in a
 * service (and database) of its own. Deadlines run on a manual clock and are swept by the test.
 */
let log: TestDatabase;
/** Each test's services, closed after it: the server's connections are shared with other suites. */
let harness: MessagingHarness | undefined;
const silent = createLogger({ service: 'saga-test', level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

beforeAll(async () => {
  log = await createTestDatabase({ prefix: 'saga_log' });
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});
afterAll(async () => {
  await log.drop();
});

/** What the participant does with a command: answer it (the default), or stay silent. */
type Answer = { reply: AnyMessageDefinition & { kind: 'reply' }; data: unknown } | 'silent';
type Script = (message: IncomingMessage, attempt: number) => Answer | undefined;

interface World {
  contract: ToyContract;
  clock: ReturnType<typeof manualClock>;
  /** Commands the participant received, in order, as `Name` (without owner and version). */
  received: IncomingMessage[];
  commands(): string[];
  /** The first command of that name the participant received, once it did. */
  receivedCommand(name: string): Promise<IncomingMessage>;
  script: { current: Script };
  participant: TestInstance;
  /** An orchestrator in a new instance of the ordering side (as a restarted process would be). */
  orchestrator(definitions?: AnySagaDefinition[]): Promise<{ orchestrator: SagaOrchestrator; instance: TestInstance }>;
  start(orchestrator: SagaOrchestrator, instance: TestInstance, sagaId: string): Promise<void>;
  /** Answers an earlier command now: a late or second reply. */
  answer<Definition extends AnyMessageDefinition & { kind: 'reply' }>(
    command: IncomingMessage,
    reply: Definition,
    data: MessageInput<Definition>,
  ): Promise<void>;
  outcomes(): Promise<Array<{ saga_id: string; outcome: string; reason: string | null }>>;
  defaultSaga: AnySagaDefinition;
}

function shortName(type: string): string {
  return type.split('.')[1] ?? type;
}

async function world(): Promise<World> {
  harness = createMessagingHarness(() =>
    createPostgresTransport({ url: log.url, rebalanceIntervalMs: 200, reconnectDelayMs: 300, pollIntervalMs: 100 }),
  );
  const orderer = await harness.service();
  const shop = await harness.service();
  await migrateSaga(orderer.db.pool);
  await orderer.db.pool.query('CREATE TABLE toy_outcomes (saga_id text NOT NULL, outcome text NOT NULL, reason text)');
  const contract = toyContract(shop.name);
  const c = contract;
  const clock = manualClock();
  const received: IncomingMessage[] = [];
  const attempts = new Map<string, number>();
  const script: { current: Script } = { current: () => undefined };
  const defaults = (message: IncomingMessage): Answer => {
    const sagaId = (message.data as { sagaId: string }).sagaId;
    const answers: Record<string, Answer> = {
      Check: { reply: c.Checked, data: { sagaId } },
      Reserve: { reply: c.Reserved, data: { sagaId } },
      Release: { reply: c.Released, data: { sagaId } },
      Charge: { reply: c.Charged, data: { sagaId, chargeRef: `ch-${sagaId.slice(0, 8)}` } },
      Refund: { reply: c.Refunded, data: { sagaId } },
      Commit: { reply: c.Committed, data: { sagaId } },
    };
    return answers[shortName(message.type)] ?? 'silent';
  };
  const participant = await shop.instance({
    subscribe: (messaging) =>
      messaging.subscribe({
        messages: [c.Check, c.Reserve, c.Release, c.Charge, c.Refund, c.Commit],
        handler: async (message, tx) => {
          received.push(message);
          const attempt = (attempts.get(message.type) ?? 0) + 1;
          attempts.set(message.type, attempt);
          const answer = script.current(message, attempt) ?? defaults(message);
          if (answer !== 'silent') await messaging.reply(tx, message, answer.reply, answer.data);
        },
      }),
  });
  const outcomes = async () =>
    (
      await orderer.pool.query<{ saga_id: string; outcome: string; reason: string | null }>(
        'SELECT * FROM toy_outcomes',
      )
    ).rows;
  const defaultSaga = toySaga(contract, {
    onCompleted: async (tx, { sagaId }) => {
      await tx.query(`INSERT INTO toy_outcomes VALUES ($1, 'completed', NULL)`, [sagaId]);
    },
    onCompensated: async (tx, { sagaId, reason }) => {
      await tx.query(`INSERT INTO toy_outcomes VALUES ($1, 'compensated', $2)`, [sagaId, reason]);
    },
  });
  return {
    contract,
    clock,
    received,
    commands: () => received.map((message) => shortName(message.type)),
    async receivedCommand(name) {
      const found = await eventually(
        () => received.find((message) => shortName(message.type) === name),
        (message) => message !== undefined,
        { what: `the participant to receive ${name}` },
      );
      if (!found) throw new Error(`no ${name} received`);
      return found;
    },
    script,
    participant,
    defaultSaga,
    outcomes,
    async orchestrator(definitions = [defaultSaga]) {
      const instance = await orderer.instance({ start: false });
      const orchestrator = createSagaOrchestrator({
        pool: orderer.pool,
        messaging: instance.messaging,
        clock,
        logger: silent,
        definitions,
      });
      orchestrator.subscribe();
      await instance.messaging.start();
      return { orchestrator, instance };
    },
    async start(orchestrator, instance, sagaId) {
      await instance.messaging.transaction((tx) =>
        orchestrator.start(tx, 'toy', sagaId, { sagaId, amount: 1_500 } satisfies ToyData),
      );
    },
    async answer(command, reply, data) {
      await participant.messaging.transaction(async (tx) => {
        await participant.messaging.reply(tx, command, reply, data);
      });
    },
  };
}

function until(
  orchestrator: SagaOrchestrator,
  sagaId: string,
  accept: (saga: SagaInstanceView) => boolean,
  what: string,
): Promise<SagaInstanceView | undefined> {
  return eventually(
    () => orchestrator.get(sagaId),
    (saga) => saga !== undefined && accept(saga),
    { what },
  );
}

const awaiting =
  (step: string, phase: 'action' | 'compensation' = 'action', attempt = 1) =>
  (saga: SagaInstanceView) =>
    saga.awaiting?.step === step && saga.awaiting.phase === phase && saga.awaiting.attempt === attempt;

describe('the saga orchestrator', () => {
  it('runs every step and completes, hooks and metrics included', async () => {
    const w = await world();
    const { orchestrator, instance } = await w.orchestrator();
    const sagaId = randomUUID();
    await w.start(orchestrator, instance, sagaId);
    const saga = await until(orchestrator, sagaId, (s) => s.state === 'completed', 'completion');
    expect(saga?.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done']);
    expect(saga?.data).toMatchObject({ chargeRef: `ch-${sagaId.slice(0, 8)}` });
    expect(saga?.history.map((h) => `${h.kind} ${h.step}`)).toEqual([
      'command check',
      'reply check',
      'command reserve',
      'reply reserve',
      'command charge',
      'reply charge',
      'command commit',
      'reply commit',
    ]);
    expect(w.commands()).toEqual(['Check', 'Reserve', 'Charge', 'Commit']);
    expect(await w.outcomes()).toEqual([{ saga_id: sagaId, outcome: 'completed', reason: null }]);
    expect(await instance.metric('saga_started_total', { saga: 'toy' })).toBe(1);
    expect(await instance.metric('saga_completed_total', { saga: 'toy', outcome: 'completed' })).toBe(1);
    expect((await orchestrator.list({ state: 'completed', limit: 10 })).map((s) => s.sagaId)).toEqual([sagaId]);
    expect(await orchestrator.list({ state: 'running', limit: 10 })).toEqual([]);
    await expect(w.start(orchestrator, instance, sagaId)).rejects.toThrow(/duplicate key/);
  });

  it('compensates in reverse when a step fails, and ends compensated with its reason', async () => {
    const w = await world();
    w.script.current = (message) =>
      shortName(message.type) === 'Charge'
        ? {
            reply: w.contract.Declined,
            data: { sagaId: (message.data as ToyData).sagaId, reason: 'INSUFFICIENT_FUNDS' },
          }
        : undefined;
    const { orchestrator, instance } = await w.orchestrator();
    const sagaId = randomUUID();
    await w.start(orchestrator, instance, sagaId);
    const saga = await until(orchestrator, sagaId, (s) => s.state === 'compensated', 'compensation');
    expect(saga?.reason).toBe('INSUFFICIENT_FUNDS');
    expect(saga?.steps.map((s) => s.state)).toEqual(['done', 'compensated', 'failed', 'skipped']);
    expect(w.commands()).toEqual(['Check', 'Reserve', 'Charge', 'Release']);
    expect(await w.outcomes()).toEqual([{ saga_id: sagaId, outcome: 'compensated', reason: 'INSUFFICIENT_FUNDS' }]);
    expect(await instance.metric('saga_completed_total', { outcome: 'compensated' })).toBe(1);
  });

  it('fires a deadline once under two sweepers, compensates the timed-out step and ignores its late reply', async () => {
    const w = await world();
    w.script.current = (message) => (shortName(message.type) === 'Reserve' ? 'silent' : undefined);
    const first = await w.orchestrator();
    const second = await w.orchestrator();
    const sagaId = randomUUID();
    await w.start(first.orchestrator, first.instance, sagaId);
    await until(first.orchestrator, sagaId, awaiting('reserve'), 'reserve in flight');
    expect(await first.orchestrator.sweepDeadlines()).toBe(0);

    w.clock.advance(30_001);
    const fired = await Promise.all([first.orchestrator.sweepDeadlines(), second.orchestrator.sweepDeadlines()]);
    expect(fired[0] + fired[1]).toBe(1);
    const saga = await until(first.orchestrator, sagaId, (s) => s.state === 'compensated', 'compensation');
    expect(saga?.reason).toBe('STEP_TIMED_OUT');
    expect(saga?.steps.map((s) => s.state)).toEqual(['done', 'compensated', 'skipped', 'skipped']);
    expect(w.commands()).toEqual(['Check', 'Reserve', 'Release']);

    const reserve = await w.receivedCommand('Reserve');
    await w.answer(reserve, w.contract.Reserved, { sagaId });
    await eventually(
      // Either instance may own the reply's partition: they share the consumer group.
      async () =>
        (await first.instance.metric('messaging_consumed_total', { type: w.contract.Reserved.type })) +
        (await second.instance.metric('messaging_consumed_total', { type: w.contract.Reserved.type })),
      (n) => n >= 1,
      {
        what: 'the late reply consumed',
      },
    );
    const after = await first.orchestrator.get(sagaId);
    expect(after?.state).toBe('compensated');
    expect(after?.history.filter((h) => h.kind === 'reply').map((h) => h.messageType)).toEqual([
      w.contract.Checked.type,
      w.contract.Released.type,
    ]);
    expect(await w.outcomes()).toHaveLength(1);
  });

  it('takes either the reply or the deadline when they race, never both', async () => {
    const w = await world();
    w.script.current = (message) => (shortName(message.type) === 'Reserve' ? 'silent' : undefined);
    const { orchestrator, instance } = await w.orchestrator();
    const sagaId = randomUUID();
    await w.start(orchestrator, instance, sagaId);
    await until(orchestrator, sagaId, awaiting('reserve'), 'reserve in flight');
    const reserve = await w.receivedCommand('Reserve');
    w.clock.advance(30_001);
    const [, fired] = await Promise.all([
      w.answer(reserve, w.contract.Reserved, { sagaId }),
      orchestrator.sweepDeadlines(),
    ]);
    const saga = await until(
      orchestrator,
      sagaId,
      (s) => s.state === 'completed' || s.state === 'compensated',
      'the end',
    );
    const reserveEvents = saga?.history.filter(
      (h) => h.step === 'reserve' && h.phase === 'action' && h.kind !== 'command',
    );
    expect(reserveEvents?.map((h) => h.kind)).toEqual([fired === 1 ? 'timeout' : 'reply']);
    expect(saga?.state).toBe(fired === 1 ? 'compensated' : 'completed');
    expect(await w.outcomes()).toHaveLength(1);
  });

  it('ignores a duplicate reply to a step that already moved on', async () => {
    const w = await world();
    const { orchestrator, instance } = await w.orchestrator();
    w.script.current = (message) => (shortName(message.type) === 'Reserve' ? 'silent' : undefined);
    const sagaId = randomUUID();
    await w.start(orchestrator, instance, sagaId);
    await until(orchestrator, sagaId, awaiting('reserve'), 'reserve in flight');
    const check = await w.receivedCommand('Check');
    await w.answer(check, w.contract.Checked, { sagaId });
    await eventually(
      () => instance.metric('messaging_consumed_total', { type: w.contract.Checked.type, outcome: 'handled' }),
      (n) => n >= 2,
      { what: 'the second Checked consumed' },
    );
    const saga = await orchestrator.get(sagaId);
    expect(saga?.awaiting).toMatchObject({ step: 'reserve', attempt: 1 });
    expect(saga?.history.filter((h) => h.kind === 'reply')).toHaveLength(1);
    expect(w.commands()).toEqual(['Check', 'Reserve']);
  });

  it('retries a compensation until it succeeds', async () => {
    const w = await world();
    w.script.current = (message, attempt) => {
      const sagaId = (message.data as ToyData).sagaId;
      if (shortName(message.type) === 'Charge')
        return { reply: w.contract.Declined, data: { sagaId, reason: 'DECLINED' } };
      if (shortName(message.type) === 'Release' && attempt < 3) return 'silent';
      return undefined;
    };
    const { orchestrator, instance } = await w.orchestrator();
    const sagaId = randomUUID();
    await w.start(orchestrator, instance, sagaId);
    for (const attempt of [1, 2]) {
      await until(orchestrator, sagaId, awaiting('reserve', 'compensation', attempt), `release attempt ${attempt}`);
      await eventually(
        () => w.commands().filter((name) => name === 'Release').length,
        (n) => n === attempt,
      );
      w.clock.advance(30_001);
      expect(await orchestrator.sweepDeadlines()).toBe(1);
    }
    const saga = await until(orchestrator, sagaId, (s) => s.state === 'compensated', 'compensation');
    expect(saga?.reason).toBe('DECLINED');
    expect(w.commands()).toEqual(['Check', 'Reserve', 'Charge', 'Release', 'Release', 'Release']);
    expect(saga?.history.filter((h) => h.kind === 'timeout')).toHaveLength(2);
    expect(await w.outcomes()).toHaveLength(1);
  });

  it('resends a retryUntilDone step on its deadline and completes on the new request', async () => {
    const w = await world();
    w.script.current = (message, attempt) =>
      shortName(message.type) === 'Commit' && attempt === 1 ? 'silent' : undefined;
    const { orchestrator, instance } = await w.orchestrator();
    const sagaId = randomUUID();
    await w.start(orchestrator, instance, sagaId);
    await until(orchestrator, sagaId, awaiting('commit'), 'commit in flight');
    w.clock.advance(30_001);
    expect(await orchestrator.sweepDeadlines()).toBe(1);
    const saga = await until(orchestrator, sagaId, (s) => s.state === 'completed', 'completion');
    expect(w.commands()).toEqual(['Check', 'Reserve', 'Charge', 'Commit', 'Commit']);
    const commits = saga?.history.filter((h) => h.kind === 'command' && h.step === 'commit') ?? [];
    expect(commits).toHaveLength(2);
    expect(commits[0]?.messageId).not.toBe(commits[1]?.messageId);
  });

  it('aborts before the pivot (undoing the step in flight first) and refuses after it', async () => {
    const w = await world();
    w.script.current = (message) => (['Charge', 'Commit'].includes(shortName(message.type)) ? 'silent' : undefined);
    const { orchestrator, instance } = await w.orchestrator();
    const sagaId = randomUUID();
    await w.start(orchestrator, instance, sagaId);
    await until(orchestrator, sagaId, awaiting('charge'), 'charge in flight');
    expect(await instance.messaging.transaction((tx) => orchestrator.abort(tx, sagaId, 'CANCELLED_BY_CUSTOMER'))).toBe(
      true,
    );
    const saga = await until(orchestrator, sagaId, (s) => s.state === 'compensated', 'compensation');
    expect(saga?.reason).toBe('CANCELLED_BY_CUSTOMER');
    expect(w.commands()).toEqual(['Check', 'Reserve', 'Charge', 'Refund', 'Release']);
    expect(await instance.messaging.transaction((tx) => orchestrator.abort(tx, sagaId, 'AGAIN'))).toBe(false);

    w.script.current = (message) => (shortName(message.type) === 'Commit' ? 'silent' : undefined);
    const pastPivot = randomUUID();
    await w.start(orchestrator, instance, pastPivot);
    await until(orchestrator, pastPivot, awaiting('commit'), 'commit in flight');
    expect(await instance.messaging.transaction((tx) => orchestrator.abort(tx, pastPivot, 'TOO_LATE'))).toBe(false);
    expect((await orchestrator.get(pastPivot))?.state).toBe('running');
    expect(await instance.messaging.transaction((tx) => orchestrator.abort(tx, randomUUID(), 'NO_SUCH'))).toBe(false);
  });

  it('finishes an instance on the version it started with, and starts new ones on the newest', async () => {
    const w = await world();
    const c = w.contract;
    w.script.current = (message) =>
      shortName(message.type) === 'Reserve' && (message.data as ToyData).sagaId.startsWith('old')
        ? 'silent'
        : undefined;
    const v1 = await w.orchestrator([w.defaultSaga]);
    const old = `old-${randomUUID()}`;
    await w.start(v1.orchestrator, v1.instance, old);
    await until(v1.orchestrator, old, awaiting('reserve'), 'reserve in flight');
    await v1.instance.stop();

    const about = (data: ToyData) => ({ sagaId: data.sagaId });
    const v2 = defineSaga<ToyData>({
      name: 'toy',
      version: 2,
      steps: [
        step({
          name: 'check',
          command: c.Check,
          request: about,
          key: (d: ToyData) => d.sagaId,
          success: [c.Checked],
          deadlineMs: 30_000,
        }),
        step({
          name: 'commit',
          command: c.Commit,
          request: about,
          key: (d: ToyData) => d.sagaId,
          success: [c.Committed],
          deadlineMs: 30_000,
          retryUntilDone: true,
        }),
      ],
    });
    const both = await w.orchestrator([w.defaultSaga, v2]);
    const fresh = randomUUID();
    await w.start(both.orchestrator, both.instance, fresh);
    const newer = await until(both.orchestrator, fresh, (s) => s.state === 'completed', 'the new saga completed');
    expect(newer?.version).toBe(2);
    expect(newer?.steps.map((s) => s.name)).toEqual(['check', 'commit']);

    const reserve = await w.receivedCommand('Reserve');
    await w.answer(reserve, c.Reserved, { sagaId: old });
    const older = await until(both.orchestrator, old, (s) => s.state === 'completed', 'the old saga completed');
    expect(older?.version).toBe(1);
    expect(older?.steps.map((s) => s.name)).toEqual(['check', 'reserve', 'charge', 'commit']);
  });

  it('resumes after a crash: a new orchestrator on the same database takes replies and deadlines', async () => {
    const w = await world();
    w.script.current = (message, attempt) => {
      const name = shortName(message.type);
      if (name === 'Reserve') return 'silent';
      if (name === 'Commit' && attempt === 1) return 'silent';
      return undefined;
    };
    const crashed = await w.orchestrator();
    const sagaId = randomUUID();
    await w.start(crashed.orchestrator, crashed.instance, sagaId);
    await until(crashed.orchestrator, sagaId, awaiting('reserve'), 'reserve in flight');
    await crashed.instance.stop();

    const restarted = await w.orchestrator();
    const reserve = await w.receivedCommand('Reserve');
    await w.answer(reserve, w.contract.Reserved, { sagaId });
    await until(restarted.orchestrator, sagaId, awaiting('commit'), 'commit in flight');
    w.clock.advance(30_001);
    expect(await restarted.orchestrator.sweepDeadlines()).toBe(1);
    const saga = await until(restarted.orchestrator, sagaId, (s) => s.state === 'completed', 'completion');
    expect(saga?.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done']);
    expect(await w.outcomes()).toEqual([{ saga_id: sagaId, outcome: 'completed', reason: null }]);
  });
});
