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
  };
}

export type ToyContract = ReturnType<typeof toyContract>;

export interface ToyData {
  readonly sagaId: string;
  readonly amount: number;
  readonly chargeRef?: string;
}

export interface ToyHooks {
  onCompleted?: (tx: PoolClient, event: SagaCompletedEvent<ToyData>) => Promise<void>;
  onCompensated?: (tx: PoolClient, event: SagaCompensatedEvent<ToyData>) => Promise<void>;
}

/** The toy saga; `version` and `deadlineMs` let tests register two versions and short deadlines. */
export function toySaga(contract: ToyContract, options: ToyHooks & { version?: number; deadlineMs?: number } = {}) {
  const c = contract;
  const deadlineMs = options.deadlineMs ?? 30_000;
  const about = (data: ToyData) => ({ sagaId: data.sagaId });
  const key = (data: ToyData) => data.sagaId;
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
      step({
        name: 'reserve',
        command: c.Reserve,
        request: about,
        key,
        success: [c.Reserved],
        deadlineMs,
        compensation: { command: c.Release, request: about, success: [c.Released] },
      }),
      step({
        name: 'charge',
        command: c.Charge,
        request: (data: ToyData) => ({ sagaId: data.sagaId, amount: data.amount }),
        key,
        success: [c.Charged],
        onSuccess: (data, reply) => ({ ...data, chargeRef: reply.data.chargeRef }),
        failure: [c.Declined],
        deadlineMs,
        compensation: { command: c.Refund, request: about, success: [c.Refunded] },
      }),
      step({
        name: 'commit',
        command: c.Commit,
        request: about,
        key,
        success: [c.Committed],
        deadlineMs,
        retryUntilDone: true,
      }),
    ],
    ...(options.onCompleted ? { onCompleted: options.onCompleted } : {}),
    ...(options.onCompensated ? { onCompensated: options.onCompensated } : {}),
  });
}
