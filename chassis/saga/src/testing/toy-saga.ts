import { z } from 'zod';
import { defineMessage } from '@talad/messaging';
import type { PoolClient } from '@talad/pg';
import { defineSaga, step, type SagaCompensatedEvent, type SagaCompletedEvent } from '../definition.ts';

/**
 * A small shop for the saga's own tests, owned by `participant` (so each test's topics are its own):
 * check (nothing to undo), reserve (release), charge (refund), then the pivot: commit.
 */
export function toyContract(participant: string) {
  const about = z.object({ sagaId: z.string() });
  const command = <const Name extends string>(name: Name) =>
    defineMessage({ type: `${participant}.${name}.v1`, kind: 'command', schema: about });
  const reply = <const Name extends string>(name: Name) =>
    defineMessage({ type: `${participant}.${name}.v1`, kind: 'reply', schema: about });
  return {
    Check: command('Check'),
    Checked: reply('Checked'),
    CheckFailed: defineMessage({
      type: `${participant}.CheckFailed.v1`,
      kind: 'reply',
      schema: z.object({ sagaId: z.string(), reason: z.string() }),
    }),
    Reserve: command('Reserve'),
    Reserved: reply('Reserved'),
    Release: command('Release'),
    Released: reply('Released'),
    Charge: defineMessage({
      type: `${participant}.Charge.v1`,
      kind: 'command',
      schema: z.object({ sagaId: z.string(), amount: z.int() }),
    }),
    Charged: defineMessage({
      type: `${participant}.Charged.v1`,
      kind: 'reply',
      schema: z.object({ sagaId: z.string(), chargeRef: z.string() }),
    }),
    Declined: defineMessage({
      type: `${participant}.Declined.v1`,
      kind: 'reply',
      schema: z.object({ sagaId: z.string(), reason: z.string() }),
    }),
    Refund: command('Refund'),
    Refunded: reply('Refunded'),
    Commit: command('Commit'),
    Committed: reply('Committed'),
    // Pay later: `Charge` may be answered `ChargePending`, then the shop announces `Paid` or `Lapsed`.
    ChargePending: defineMessage({
      type: `${participant}.ChargePending.v1`,
      kind: 'reply',
      schema: z.object({ sagaId: z.string(), slip: z.string() }),
    }),
    Paid: defineMessage({
      type: `${participant}.Paid.v1`,
      kind: 'event',
      schema: z.object({ sagaId: z.string(), paidAt: z.string() }),
    }),
    Lapsed: defineMessage({ type: `${participant}.Lapsed.v1`, kind: 'event', schema: about }),
  };
}

export type ToyContract = ReturnType<typeof toyContract>;

export interface ToyData {
  readonly sagaId: string;
  readonly amount: number;
  readonly chargeRef?: string;
  /** Set by the waiting saga: the slip of a pending charge, and when it was paid. */
  readonly slip?: string;
  readonly paidAt?: string;
}

export interface ToyHooks {
  onCompleted?: (tx: PoolClient, event: SagaCompletedEvent<ToyData>) => Promise<void>;
  onCompensated?: (tx: PoolClient, event: SagaCompensatedEvent<ToyData>) => Promise<void>;
}

const about = (data: ToyData) => ({ sagaId: data.sagaId });
const key = (data: ToyData) => data.sagaId;

/** The steps both toy sagas share, and their hooks: reserve (released on failure), charge, commit. */
function toySteps(c: ToyContract, deadlineMs: number) {
  return {
    reserve: step({
      name: 'reserve',
      command: c.Reserve,
      request: about,
      key,
      success: [c.Reserved],
      deadlineMs,
      compensation: { command: c.Release, request: about, success: [c.Released] },
    }),
    charge: {
      name: 'charge',
      command: c.Charge,
      request: (data: ToyData) => ({ sagaId: data.sagaId, amount: data.amount }),
      key,
      success: [c.Charged],
      failure: [c.Declined],
      deadlineMs,
      compensation: { command: c.Refund, request: about, success: [c.Refunded] },
    },
    commit: step({
      name: 'commit',
      command: c.Commit,
      request: about,
      key,
      success: [c.Committed],
      deadlineMs,
      retryUntilDone: true,
    }),
  };
}

function hooksOf(options: ToyHooks) {
  return {
    ...(options.onCompleted ? { onCompleted: options.onCompleted } : {}),
    ...(options.onCompensated ? { onCompensated: options.onCompensated } : {}),
  };
}

/** The toy saga; `version` and `deadlineMs` let tests register two versions and short deadlines. */
export function toySaga(contract: ToyContract, options: ToyHooks & { version?: number; deadlineMs?: number } = {}) {
  const c = contract;
  const deadlineMs = options.deadlineMs ?? 30_000;
  const shared = toySteps(c, deadlineMs);
  return defineSaga<ToyData>({
    name: 'toy',
    version: options.version ?? 1,
    steps: [
      step({
        name: 'check',
        command: c.Check,
        request: about,
        key,
        success: [c.Checked],
        failure: [c.CheckFailed],
        deadlineMs,
      }),
      shared.reserve,
      step({
        ...shared.charge,
        onSuccess: (data, reply) => ({ ...data, chargeRef: reply.data.chargeRef }),
      }),
      shared.commit,
    ],
    ...hooksOf(options),
  });
}

/**
 * The toy saga with a charge that may be paid later: `Charge` answered `ChargePending` makes the step
 * wait for `Paid` (continue) or `Lapsed` (compensate, the charge's own refund first).
 */
export function toyWaitingSaga(
  contract: ToyContract,
  options: ToyHooks & { version?: number; deadlineMs?: number; waitMs?: number } = {},
) {
  const c = contract;
  const deadlineMs = options.deadlineMs ?? 30_000;
  const shared = toySteps(c, deadlineMs);
  return defineSaga<ToyData>({
    name: 'toy',
    version: options.version ?? 1,
    steps: [
      shared.reserve,
      step({
        ...shared.charge,
        onSuccess: (data, reply) => ({ ...data, chargeRef: reply.data.chargeRef }),
        pending: [c.ChargePending],
        onPending: (data, reply) => ({ ...data, slip: reply.data.slip }),
        awaitEvent: {
          success: [c.Paid],
          failure: [c.Lapsed],
          correlate: (event) => event.data.sagaId,
          onSuccess: (data, event) => ({ ...data, paidAt: event.data.paidAt }),
          onFailure: () => ({ reason: 'LAPSED' }),
          ...(options.waitMs === undefined ? {} : { deadlineMs: options.waitMs }),
        },
      }),
      shared.commit,
    ],
    ...hooksOf(options),
  });
}
