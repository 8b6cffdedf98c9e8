import { describe, expect, it } from 'vitest';
import type { AnyMessageDefinition, IncomingMessage, MessageInput } from '@talad/messaging';
import { defineSaga, step } from './definition.ts';
import {
  STEP_TIMED_OUT,
  canAbort,
  startSnapshot,
  transition,
  type SagaEvent,
  type SagaSnapshot,
  type Transition,
} from './state-machine.ts';
import { toyContract, toySaga, type ToyData } from './testing/toy-saga.ts';

const c = toyContract('shop');
const saga = toySaga(c);
const sagaId = 's-1';
const start: SagaSnapshot<ToyData> = startSnapshot(saga, { sagaId, amount: 500 });

function reply<Definition extends AnyMessageDefinition>(
  definition: Definition,
  data: MessageInput<Definition>,
): SagaEvent {
  const message = {
    id: `m-${definition.name}`,
    type: definition.type,
    data,
    correlationId: 'req',
  } as unknown as IncomingMessage;
  return { kind: 'reply', message };
}

/** given(events).when(event).then(...): the state machine driven from the start, no I/O. */
function given(...events: SagaEvent[]) {
  let snapshot = start;
  for (const event of events) {
    const next = transition(saga, snapshot, event);
    if (!next) throw new Error(`given: ${event.kind} did not apply`);
    snapshot = next.snapshot;
  }
  return {
    snapshot,
    when: (event: SagaEvent): Transition<ToyData> | undefined => transition(saga, snapshot, event),
  };
}

const checked = reply(c.Checked, { sagaId });
const reserved = reply(c.Reserved, { sagaId });
const charged = reply(c.Charged, { sagaId, chargeRef: 'ch_1' });
const committed = reply(c.Committed, { sagaId });
const released = reply(c.Released, { sagaId });
const refunded = reply(c.Refunded, { sagaId });
const deadline: SagaEvent = { kind: 'deadline' };

describe('the saga state machine', () => {
  it('starts with the first step running and the others pending', () => {
    expect(start).toMatchObject({ state: 'running', cursor: 0, phase: 'action', attempt: 1 });
    expect(start.steps).toEqual(['running', 'pending', 'pending', 'pending']);
  });

  it('runs the next step on each success and completes after the last, folding replies into the data', () => {
    const next = given(checked, reserved).when(charged);
    expect(next).toMatchObject({ send: true, succeeded: 2, ended: undefined });
    expect(next?.snapshot).toMatchObject({ cursor: 3, phase: 'action', data: { chargeRef: 'ch_1' } });
    const done = given(checked, reserved, charged).when(committed);
    expect(done).toMatchObject({ send: false, ended: 'completed', succeeded: 3 });
    expect(done?.snapshot.state).toBe('completed');
    expect(done?.snapshot.steps).toEqual(['done', 'done', 'done', 'done']);
  });

  it('compensates what was done, in reverse, when a step fails, with the reply reason', () => {
    const failed = given(checked, reserved).when(reply(c.Declined, { sagaId, reason: 'INSUFFICIENT_FUNDS' }));
    expect(failed).toMatchObject({ send: true, ended: undefined });
    expect(failed?.snapshot).toMatchObject({
      state: 'compensating',
      cursor: 1,
      phase: 'compensation',
      reason: 'INSUFFICIENT_FUNDS',
    });
    expect(failed?.snapshot.steps).toEqual(['done', 'compensating', 'failed', 'skipped']);

    const ended = given(checked, reserved, reply(c.Declined, { sagaId, reason: 'INSUFFICIENT_FUNDS' })).when(released);
    expect(ended).toMatchObject({ send: false, ended: 'compensated' });
    expect(ended?.snapshot.steps).toEqual(['done', 'compensated', 'failed', 'skipped']);
  });

  it('undoes charge before reserve when an abort catches charge in flight', () => {
    const aborting = given(checked, reserved).when({ kind: 'abort', reason: 'CANCELLED' });
    expect(aborting?.snapshot).toMatchObject({
      state: 'compensating',
      cursor: 2,
      phase: 'compensation',
      reason: 'CANCELLED',
    });
    const next = given(checked, reserved, { kind: 'abort', reason: 'CANCELLED' }).when(refunded);
    expect(next?.snapshot).toMatchObject({ cursor: 1, phase: 'compensation' });
    const ended = given(checked, reserved, { kind: 'abort', reason: 'CANCELLED' }, refunded).when(released);
    expect(ended?.ended).toBe('compensated');
    expect(ended?.snapshot.steps).toEqual(['done', 'compensated', 'compensated', 'skipped']);
  });

  it('compensates a timed-out step itself, since its command may have acted', () => {
    const timedOut = given(checked).when(deadline);
    expect(timedOut?.snapshot).toMatchObject({
      state: 'compensating',
      cursor: 1,
      phase: 'compensation',
      reason: STEP_TIMED_OUT,
    });
    expect(timedOut?.snapshot.steps).toEqual(['done', 'compensating', 'skipped', 'skipped']);
  });

  it('ends compensated at once when a step with nothing to undo times out first', () => {
    const timedOut = given().when(deadline);
    expect(timedOut).toMatchObject({ send: false, ended: 'compensated' });
    expect(timedOut?.snapshot.steps).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
  });

  it('resends a retryUntilDone step and a compensation on their deadline, counting attempts', () => {
    const resent = given(checked, reserved, charged).when(deadline);
    expect(resent).toMatchObject({ send: true, ended: undefined });
    expect(resent?.snapshot).toMatchObject({ state: 'running', cursor: 3, phase: 'action', attempt: 2 });

    const compensation = given(checked, reserved, reply(c.Declined, { sagaId, reason: 'DECLINED' }), deadline).when(
      deadline,
    );
    expect(compensation?.snapshot).toMatchObject({
      state: 'compensating',
      cursor: 1,
      phase: 'compensation',
      attempt: 3,
    });
  });

  it('refuses an abort past the pivot and any event once ended', () => {
    const pastPivot = given(checked, reserved, charged);
    expect(canAbort(saga, pastPivot.snapshot)).toBe(false);
    expect(pastPivot.when({ kind: 'abort', reason: 'CANCELLED' })).toBeUndefined();
    const ended = given(checked, reserved, charged, committed);
    expect(ended.when(deadline)).toBeUndefined();
    expect(ended.when(committed)).toBeUndefined();
  });

  it('ignores a reply the step in flight does not expect', () => {
    expect(given(checked).when(charged)).toBeUndefined();
    expect(given(checked, reserved, reply(c.Declined, { sagaId, reason: 'DECLINED' })).when(reserved)).toBeUndefined();
  });
});

describe('defineSaga', () => {
  const check = step({
    name: 'check',
    command: c.Check,
    request: (data: ToyData) => data,
    key: () => 'k',
    success: [c.Checked],
    deadlineMs: 1,
  });
  const commit = step({
    name: 'commit',
    command: c.Commit,
    request: (data: ToyData) => data,
    key: () => 'k',
    success: [c.Committed],
    deadlineMs: 1,
    retryUntilDone: true,
  });

  it('finds the pivot: the first retryUntilDone step', () => {
    expect(saga.pivot).toBe(3);
    expect(defineSaga({ name: 'plain', version: 1, steps: [check] }).pivot).toBe(1);
  });

  it('refuses declarations that cannot run', () => {
    expect(() => defineSaga({ name: 'empty', version: 1, steps: [] })).toThrow(/at least one step/);
    expect(() => defineSaga({ name: 'twice', version: 1, steps: [check, check] })).toThrow(/two steps are named check/);
    expect(() => defineSaga({ name: 'late', version: 1, steps: [commit, check] })).toThrow(/after the pivot/);
    expect(() => defineSaga({ name: 'zero', version: 0, steps: [check] })).toThrow(/version/);
    const both = step({
      name: 'both',
      command: c.Check,
      request: (data: ToyData) => data,
      key: () => 'k',
      success: [c.Checked],
      failure: [c.Checked],
      deadlineMs: 1,
    });
    expect(() => defineSaga({ name: 'both', version: 1, steps: [both] })).toThrow(/both success and failure/);
  });
});
