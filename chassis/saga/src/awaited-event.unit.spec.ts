import { describe, expect, it } from 'vitest';
import type { AnyMessageDefinition, IncomingMessage, MessageInput } from '@talad/messaging';
import { defineSaga, step } from './definition.ts';
import { STEP_TIMED_OUT, startSnapshot, transition, type SagaEvent, type SagaSnapshot } from './state-machine.ts';
import { toyContract, toyWaitingSaga, type ToyData } from './testing/toy-saga.ts';

const c = toyContract('shop');
const saga = toyWaitingSaga(c);
const sagaId = 's-1';
const start: SagaSnapshot<ToyData> = startSnapshot(saga, { sagaId, amount: 500 });

function message<Definition extends AnyMessageDefinition>(definition: Definition, data: MessageInput<Definition>) {
  return {
    id: `m-${definition.name}`,
    type: definition.type,
    data,
    correlationId: 'req',
  } as unknown as IncomingMessage;
}
const reply = <D extends AnyMessageDefinition>(d: D, data: MessageInput<D>): SagaEvent => ({
  kind: 'reply',
  message: message(d, data),
});
const event = <D extends AnyMessageDefinition>(d: D, data: MessageInput<D>): SagaEvent => ({
  kind: 'event',
  message: message(d, data),
});

function given(...events: SagaEvent[]) {
  let snapshot = start;
  for (const each of events) {
    const next = transition(saga, snapshot, each);
    if (!next) throw new Error(`given: ${each.kind} did not apply`);
    snapshot = next.snapshot;
  }
  return { snapshot, when: (each: SagaEvent) => transition(saga, snapshot, each) };
}

const reserved = reply(c.Reserved, { sagaId });
const pending = reply(c.ChargePending, { sagaId, slip: 'slip-1' });
const paid = event(c.Paid, { sagaId, paidAt: '2026-01-02T03:04:05.000Z' });
const lapsed = event(c.Lapsed, { sagaId });

describe('a step that waits for an event after a pending reply', () => {
  it('a pending reply keeps the step running, waits in phase event with nothing to send, and folds the reply', () => {
    const next = given(reserved).when(pending);
    expect(next).toMatchObject({ send: false, ended: undefined, succeeded: undefined, pending: 1 });
    expect(next?.snapshot).toMatchObject({ state: 'running', cursor: 1, phase: 'event', data: { slip: 'slip-1' } });
    expect(next?.snapshot.steps).toEqual(['done', 'running', 'pending']);
  });

  it('the success event completes the step and sends the next command', () => {
    const next = given(reserved, pending).when(paid);
    expect(next).toMatchObject({ send: true, succeeded: 1 });
    expect(next?.snapshot).toMatchObject({
      cursor: 2,
      phase: 'action',
      data: { slip: 'slip-1', paidAt: expect.any(String) },
    });
    expect(next?.snapshot.steps).toEqual(['done', 'done', 'running']);
  });

  it("the failure event compensates the waiting step itself first, with the step's reason", () => {
    const next = given(reserved, pending).when(lapsed);
    expect(next).toMatchObject({ send: true, ended: undefined });
    expect(next?.snapshot).toMatchObject({ state: 'compensating', cursor: 1, phase: 'compensation', reason: 'LAPSED' });
    expect(next?.snapshot.steps).toEqual(['done', 'compensating', 'skipped']);
    const refunded = given(reserved, pending, lapsed).when(reply(c.Refunded, { sagaId }));
    expect(refunded?.snapshot).toMatchObject({ cursor: 0, phase: 'compensation' });
  });

  it('an event that comes before the pending reply settles the step all the same', () => {
    expect(given(reserved).when(paid)?.snapshot).toMatchObject({ cursor: 2, phase: 'action' });
    expect(given(reserved).when(lapsed)?.snapshot).toMatchObject({ state: 'compensating', cursor: 1 });
  });

  it('a duplicate event, an event no step waits for now, and a late reply change nothing', () => {
    expect(given(reserved, pending, paid).when(paid)).toBeUndefined();
    expect(given(reserved, pending, paid).when(lapsed)).toBeUndefined();
    expect(given(reserved).when(pending) && given().when(paid)).toBeUndefined();
    expect(given(reserved, pending).when(reply(c.Charged, { sagaId, chargeRef: 'late' }))).toBeUndefined();
    expect(given(reserved, pending, lapsed).when(paid)).toBeUndefined();
  });

  it('a deadline while waiting times the step out and compensates it; an abort does the same with its reason', () => {
    const timedOut = given(reserved, pending).when({ kind: 'deadline' });
    expect(timedOut?.snapshot).toMatchObject({ state: 'compensating', cursor: 1, reason: STEP_TIMED_OUT });
    const aborted = given(reserved, pending).when({ kind: 'abort', reason: 'CANCELLED' });
    expect(aborted?.snapshot).toMatchObject({ state: 'compensating', cursor: 1, reason: 'CANCELLED' });
  });

  it('refuses a declaration that waits without a pending reply, or is pending without waiting', () => {
    const base = {
      name: 'charge',
      command: c.Charge,
      request: (data: ToyData) => ({ sagaId: data.sagaId, amount: data.amount }),
      key: (data: ToyData) => data.sagaId,
      success: [c.Charged],
      deadlineMs: 1_000,
    } as const;
    expect(() =>
      defineSaga<ToyData>({ name: 'toy', version: 1, steps: [step({ ...base, pending: [c.ChargePending] })] }),
    ).toThrow(/no awaitEvent/);
    expect(() =>
      defineSaga<ToyData>({
        name: 'toy',
        version: 1,
        steps: [step({ ...base, awaitEvent: { success: [c.Paid], correlate: (e) => e.data.sagaId } })],
      }),
    ).toThrow(/no pending reply/);
    expect(() =>
      defineSaga<ToyData>({
        name: 'toy',
        version: 1,
        steps: [
          step({
            ...base,
            pending: [c.ChargePending],
            // A reply where an event belongs: a cast, as plain JavaScript could pass it.
            awaitEvent: { success: [c.Charged as unknown as typeof c.Paid], correlate: () => sagaId },
          }),
        ],
      }),
    ).toThrow(/not an event/);
  });
});
