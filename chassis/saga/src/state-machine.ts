import type { IncomingMessage } from '@talad/messaging';
import type { SagaDefinition } from './definition.ts';

export type SagaState = 'running' | 'compensating' | 'completed' | 'compensated';
export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'compensating' | 'compensated' | 'skipped';
/**
 * What the saga waits for: the reply to a step's action, an event that ends a step whose action was
 * answered "pending" (nothing in flight then), or the reply to a compensation.
 */
export type Phase = 'action' | 'event' | 'compensation';

export const SAGA_STATES: readonly SagaState[] = ['running', 'compensating', 'completed', 'compensated'];

/** The reason a saga compensates when a step's reply did not come in time. */
export const STEP_TIMED_OUT = 'STEP_TIMED_OUT';

/** Where an instance stands: what the orchestrator stores, without the ids and times of I/O. */
export interface SagaSnapshot<Data> {
  readonly state: SagaState;
  readonly data: Data;
  readonly steps: readonly StepState[];
  /** The step whose action or compensation is in flight (meaningless once the saga ended). */
  readonly cursor: number;
  /** What is in flight; undefined once the saga ended. */
  readonly phase: Phase | undefined;
  /** How many times the command in flight was sent. */
  readonly attempt: number;
  readonly reason: string | undefined;
}

/** What can happen to an instance. A reply reaches the machine only if it answers the request in flight. */
export type SagaEvent =
  | { readonly kind: 'reply'; readonly message: IncomingMessage }
  /** An event correlated to this saga (by the waiting step's `awaitEvent.correlate`). */
  | { readonly kind: 'event'; readonly message: IncomingMessage }
  | { readonly kind: 'deadline' }
  | { readonly kind: 'abort'; readonly reason: string };

export interface Transition<Data> {
  readonly snapshot: SagaSnapshot<Data>;
  /**
   * Whether to send the command of `snapshot.cursor` in `snapshot.phase` (a first send or a resend).
   * False in phase `event`: the step waits for an event, with nothing in flight.
   */
  readonly send: boolean;
  /** Set when this transition ended the saga. */
  readonly ended: 'completed' | 'compensated' | undefined;
  /** The step whose success reply this transition accepted (its `afterSuccess` hook runs). */
  readonly succeeded: number | undefined;
  /** The step whose pending reply this transition accepted (its `afterPending` hook runs). */
  readonly pending?: number | undefined;
}

/** A new instance: the first step running. */
export function startSnapshot<Data>(definition: SagaDefinition<Data>, data: Data): SagaSnapshot<Data> {
  return {
    state: 'running',
    data,
    steps: definition.steps.map((_, index) => (index === 0 ? 'running' : 'pending')),
    cursor: 0,
    phase: 'action',
    attempt: 1,
    reason: undefined,
  };
}

/** Whether `abort` can still undo the saga: it runs and has not reached its pivot. */
export function canAbort(
  definition: Pick<SagaDefinition, 'pivot'>,
  snapshot: Pick<SagaSnapshot<unknown>, 'state' | 'cursor'>,
): boolean {
  return snapshot.state === 'running' && snapshot.cursor < definition.pivot;
}

/**
 * The saga's state machine, pure: given where an instance stands and what happened, where it goes
 * next and what to send. Undefined when the event does not apply (a reply type the step in flight does
 * not expect, a deadline or an abort on an ended saga, an abort past the pivot): nothing changes.
 */
export function transition<Data>(
  definition: SagaDefinition<Data>,
  snapshot: SagaSnapshot<Data>,
  event: SagaEvent,
): Transition<Data> | undefined {
  if (snapshot.phase === undefined) return undefined;
  const index = snapshot.cursor;
  const current = definition.steps[index];
  if (!current) return undefined;
  const steps = [...snapshot.steps];

  switch (event.kind) {
    case 'reply': {
      const type = event.message.type;
      if (snapshot.phase === 'compensation') {
        if (!current.compensation?.success.some((reply) => reply.type === type)) return undefined;
        steps[index] = 'compensated';
        return compensateFrom(definition, { ...snapshot, steps }, index - 1);
      }
      // A reply answers the action only; once the step waits for its event, a late reply is not news.
      if (snapshot.phase !== 'action') return undefined;
      if (current.success.some((reply) => reply.type === type)) {
        const data = current.onSuccess ? current.onSuccess(snapshot.data, event.message) : snapshot.data;
        return advance(definition, { ...snapshot, steps }, data);
      }
      if (current.failure.some((reply) => reply.type === type)) {
        const reason = current.onFailure?.(snapshot.data, event.message).reason ?? reasonOf(event.message);
        steps[index] = 'failed';
        return compensateFrom(definition, { ...snapshot, steps: skipAfter(steps, index), reason }, index - 1);
      }
      if (current.pending.some((reply) => reply.type === type)) {
        const data = current.onPending ? current.onPending(snapshot.data, event.message) : snapshot.data;
        const snap = { ...snapshot, data, steps, phase: 'event', attempt: 1 } as const;
        return { snapshot: snap, send: false, ended: undefined, succeeded: undefined, pending: index };
      }
      return undefined;
    }
    case 'event': {
      // Accepted while waiting, and also before the pending reply was taken: the event settles the step
      // (events and replies travel on different topics, so the event may come first).
      const awaited = current.awaitEvent;
      if (!awaited || snapshot.phase === 'compensation') return undefined;
      const type = event.message.type;
      if (awaited.success.some((each) => each.type === type)) {
        const data = awaited.onSuccess ? awaited.onSuccess(snapshot.data, event.message) : snapshot.data;
        return advance(definition, { ...snapshot, steps }, data);
      }
      if (awaited.failure.some((each) => each.type === type)) {
        const reason = awaited.onFailure?.(snapshot.data, event.message).reason ?? reasonOf(event.message);
        // The step's command acted (it was answered "pending"): undo it first, then what came before.
        return undoInFlight(definition, { ...snapshot, steps }, reason, 'failed');
      }
      return undefined;
    }
    case 'deadline': {
      if (snapshot.phase === 'compensation' || current.retryUntilDone) {
        return {
          snapshot: { ...snapshot, attempt: snapshot.attempt + 1 },
          send: true,
          ended: undefined,
          succeeded: undefined,
        };
      }
      return undoInFlight(definition, { ...snapshot, steps }, STEP_TIMED_OUT, 'failed');
    }
    case 'abort': {
      if (!canAbort(definition, snapshot)) return undefined;
      return undoInFlight(definition, { ...snapshot, steps }, event.reason, 'skipped');
    }
  }
}

/** The step at the cursor is done: the next one starts, or the saga completes. */
function advance<Data>(
  definition: SagaDefinition<Data>,
  snapshot: SagaSnapshot<Data> & { steps: StepState[] },
  data: Data,
): Transition<Data> {
  const index = snapshot.cursor;
  const steps = snapshot.steps;
  steps[index] = 'done';
  const next = index + 1;
  if (next === definition.steps.length) {
    const snap = { ...snapshot, state: 'completed', data, steps, phase: undefined, attempt: 0 } as const;
    return { snapshot: snap, send: false, ended: 'completed', succeeded: index };
  }
  steps[next] = 'running';
  const snap = { ...snapshot, data, steps, cursor: next, phase: 'action', attempt: 1 } as const;
  return { snapshot: snap, send: true, ended: undefined, succeeded: index };
}

/**
 * The step in flight gave up on (timed out or aborted): its command may still have acted, so it is
 * compensated first when it can be; then what was done before it, in reverse.
 */
function undoInFlight<Data>(
  definition: SagaDefinition<Data>,
  snapshot: SagaSnapshot<Data> & { steps: StepState[] },
  reason: string,
  stateWithoutCompensation: StepState,
): Transition<Data> {
  const index = snapshot.cursor;
  const steps = skipAfter(snapshot.steps, index);
  if (definition.steps[index]?.compensation) {
    steps[index] = 'compensating';
    const snap = { ...snapshot, state: 'compensating', steps, phase: 'compensation', attempt: 1, reason } as const;
    return { snapshot: snap, send: true, ended: undefined, succeeded: undefined };
  }
  steps[index] = stateWithoutCompensation;
  return compensateFrom(definition, { ...snapshot, steps, reason }, index - 1);
}

/** Starts the compensation of the highest done step at or below `from` that has one; else the saga is compensated. */
function compensateFrom<Data>(
  definition: SagaDefinition<Data>,
  snapshot: SagaSnapshot<Data>,
  from: number,
): Transition<Data> {
  const steps = [...snapshot.steps];
  for (let index = from; index >= 0; index -= 1) {
    if (steps[index] === 'done' && definition.steps[index]?.compensation) {
      steps[index] = 'compensating';
      const snap = {
        ...snapshot,
        state: 'compensating',
        steps,
        cursor: index,
        phase: 'compensation',
        attempt: 1,
      } as const;
      return { snapshot: snap, send: true, ended: undefined, succeeded: undefined };
    }
  }
  const snap = { ...snapshot, state: 'compensated', steps, phase: undefined, attempt: 0 } as const;
  return { snapshot: snap, send: false, ended: 'compensated', succeeded: undefined };
}

function skipAfter(steps: readonly StepState[], index: number): StepState[] {
  return steps.map((state, at) => (at > index && state === 'pending' ? 'skipped' : state));
}

function reasonOf(message: IncomingMessage): string {
  const data = message.data as { reason?: unknown } | null;
  return typeof data?.reason === 'string' ? data.reason : message.type;
}
