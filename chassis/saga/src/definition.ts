import type { AnyMessageDefinition, IncomingMessage, MessageInput, ReceivedMessage } from '@talad/messaging';
import type { PoolClient } from '@talad/pg';

/** A command a step sends. */
export type CommandDefinition = AnyMessageDefinition & { kind: 'command' };
/** A reply a step waits for. */
export type ReplyDefinition = AnyMessageDefinition & { kind: 'reply' };
/** An event a waiting step waits for (see `AwaitEventSpec`). */
export type EventDefinition = AnyMessageDefinition & { kind: 'event' };

/** What a step's `request` may use besides the saga's data: the saga id and the time of sending. */
export interface RequestContext {
  readonly sagaId: string;
  readonly now: Date;
}

/** The command that undoes a step. It must succeed when there is nothing to undo: it is retried until it does. */
export interface CompensationSpec<Data, Command extends CommandDefinition = CommandDefinition> {
  readonly command: Command;
  readonly request: (data: Data, context: RequestContext) => MessageInput<Command>;
  /** Partition key; defaults to the step's key, so the undo follows the action on the same partition. */
  readonly key?: (data: Data) => string;
  readonly success: readonly ReplyDefinition[];
  /** Defaults to the step's deadline. On expiry the compensation is sent again. */
  readonly deadlineMs?: number;
}

/**
 * What a step waits for after a `pending` reply: the participant accepted the command and will announce
 * the outcome later, as an event (a pay slip paid at a counter days later, or left to expire). Events
 * carry no request id, so they are matched to the saga by `correlate`, which must give the saga id.
 */
export interface AwaitEventSpec<
  Data,
  EventSuccess extends readonly EventDefinition[],
  EventFailure extends readonly EventDefinition[],
> {
  /** Events that complete the step. */
  readonly success: EventSuccess;
  /** Events that fail the saga: the step itself is compensated first (its command acted), then the rest. */
  readonly failure?: EventFailure;
  /** The saga id an event is about (e.g. its order id). */
  readonly correlate: (event: ReceivedMessage<EventSuccess[number] | EventFailure[number]>) => string;
  /** Folds a success event into the saga's data. */
  readonly onSuccess?: (data: Data, event: ReceivedMessage<EventSuccess[number]>) => Data;
  /** The saga's failure reason; defaults to the event's `data.reason`, else its type. */
  readonly onFailure?: (data: Data, event: ReceivedMessage<EventFailure[number]>) => { reason: string };
  /** How long to wait for the event; without it the step waits as long as it takes. On expiry: `STEP_TIMED_OUT`. */
  readonly deadlineMs?: number;
}

export interface StepSpec<
  Data,
  Command extends CommandDefinition,
  Success extends readonly ReplyDefinition[],
  Failure extends readonly ReplyDefinition[],
  Pending extends readonly ReplyDefinition[] = readonly [],
  EventSuccess extends readonly EventDefinition[] = readonly [],
  EventFailure extends readonly EventDefinition[] = readonly [],
> {
  readonly name: string;
  readonly command: Command;
  readonly request: (data: Data, context: RequestContext) => MessageInput<Command>;
  /** Partition key of the command (and, by default, of its compensation). */
  readonly key: (data: Data) => string;
  /** Replies that complete the step. */
  readonly success: Success;
  /** Folds a success reply into the saga's data (a pure function). */
  readonly onSuccess?: (data: Data, reply: ReceivedMessage<Success[number]>) => Data;
  /** Runs in the transaction that accepts a success reply, after the instance is updated. */
  readonly afterSuccess?: (
    tx: PoolClient,
    event: { readonly sagaId: string; readonly data: Data; readonly reply: ReceivedMessage<Success[number]> },
  ) => Promise<void>;
  /** Replies that fail the saga: what was done is compensated, in reverse. */
  readonly failure?: Failure;
  /** The saga's failure reason; defaults to the reply's `data.reason`, else its type. */
  readonly onFailure?: (data: Data, reply: ReceivedMessage<Failure[number]>) => { reason: string };
  /** Replies that say "accepted, the outcome comes later": the step then waits for `awaitEvent`. */
  readonly pending?: Pending;
  /** Folds a pending reply into the saga's data (e.g. the pay slip issued). */
  readonly onPending?: (data: Data, reply: ReceivedMessage<Pending[number]>) => Data;
  /** Runs in the transaction that accepts a pending reply, after the instance is updated. */
  readonly afterPending?: (
    tx: PoolClient,
    event: { readonly sagaId: string; readonly data: Data; readonly reply: ReceivedMessage<Pending[number]> },
  ) => Promise<void>;
  /** What a `pending` reply makes the step wait for. Required with `pending`, and only with it. */
  readonly awaitEvent?: AwaitEventSpec<Data, EventSuccess, EventFailure>;
  /** How long the step waits for a reply: then it times out (or, with `retryUntilDone`, is sent again). */
  readonly deadlineMs: number;
  readonly compensation?: CompensationSpec<Data>;
  /**
   * For steps past the point of no return (commit, capture): a deadline sends the command again, with a
   * new request id, until it succeeds. The first such step is the saga's pivot; every later step must be one too.
   */
  readonly retryUntilDone?: boolean;
}

/** A step as the orchestrator runs it: the declaration with its reply types erased. */
export interface SagaStep<Data> {
  readonly name: string;
  readonly command: CommandDefinition;
  readonly request: (data: Data, context: RequestContext) => unknown;
  readonly key: (data: Data) => string;
  readonly success: readonly ReplyDefinition[];
  readonly onSuccess: ((data: Data, reply: IncomingMessage) => Data) | undefined;
  readonly afterSuccess:
    ((tx: PoolClient, event: { sagaId: string; data: Data; reply: IncomingMessage }) => Promise<void>) | undefined;
  readonly failure: readonly ReplyDefinition[];
  readonly onFailure: ((data: Data, reply: IncomingMessage) => { reason: string }) | undefined;
  readonly pending: readonly ReplyDefinition[];
  readonly onPending: ((data: Data, reply: IncomingMessage) => Data) | undefined;
  readonly afterPending:
    ((tx: PoolClient, event: { sagaId: string; data: Data; reply: IncomingMessage }) => Promise<void>) | undefined;
  readonly awaitEvent: AwaitedEvent<Data> | undefined;
  readonly deadlineMs: number;
  readonly compensation: CompensationSpec<Data> | undefined;
  readonly retryUntilDone: boolean;
}

/** A step's `awaitEvent` as the orchestrator runs it: event types erased. */
export interface AwaitedEvent<Data> {
  readonly success: readonly EventDefinition[];
  readonly failure: readonly EventDefinition[];
  readonly correlate: (event: IncomingMessage) => string;
  readonly onSuccess: ((data: Data, event: IncomingMessage) => Data) | undefined;
  readonly onFailure: ((data: Data, event: IncomingMessage) => { reason: string }) | undefined;
  readonly deadlineMs: number | undefined;
}

/**
 * Declares one step: the command, the replies that end it and, side by side, the command that undoes it.
 *
 * @example
 * step({
 *   name: 'reserveStock',
 *   command: ReserveStock,
 *   request: (data: CheckoutData, { now }) => ({ orderId: data.orderId, lines: data.lines, expiresAt: ... }),
 *   key: (data) => data.orderId,
 *   success: [StockReserved],
 *   failure: [StockReservationFailed],
 *   deadlineMs: 30_000,
 *   compensation: { command: ReleaseStock, request: (data) => ({ orderId: data.orderId }), success: [StockReleased] },
 * });
 */
export function step<
  Data,
  Command extends CommandDefinition,
  const Success extends readonly ReplyDefinition[],
  const Failure extends readonly ReplyDefinition[] = readonly [],
  const Pending extends readonly ReplyDefinition[] = readonly [],
  const EventSuccess extends readonly EventDefinition[] = readonly [],
  const EventFailure extends readonly EventDefinition[] = readonly [],
>(spec: StepSpec<Data, Command, Success, Failure, Pending, EventSuccess, EventFailure>): SagaStep<Data> {
  const awaited = spec.awaitEvent;
  return {
    name: spec.name,
    command: spec.command,
    request: spec.request,
    key: spec.key,
    success: spec.success,
    onSuccess: spec.onSuccess as SagaStep<Data>['onSuccess'],
    afterSuccess: spec.afterSuccess as SagaStep<Data>['afterSuccess'],
    failure: spec.failure ?? [],
    onFailure: spec.onFailure as SagaStep<Data>['onFailure'],
    pending: spec.pending ?? [],
    onPending: spec.onPending as SagaStep<Data>['onPending'],
    afterPending: spec.afterPending as SagaStep<Data>['afterPending'],
    awaitEvent: awaited
      ? {
          success: awaited.success,
          failure: awaited.failure ?? [],
          correlate: awaited.correlate as AwaitedEvent<Data>['correlate'],
          onSuccess: awaited.onSuccess as AwaitedEvent<Data>['onSuccess'],
          onFailure: awaited.onFailure as AwaitedEvent<Data>['onFailure'],
          deadlineMs: awaited.deadlineMs,
        }
      : undefined,
    deadlineMs: spec.deadlineMs,
    compensation: spec.compensation,
    retryUntilDone: spec.retryUntilDone ?? false,
  };
}

/** How a saga ended, for its hooks. */
export interface SagaCompletedEvent<Data> {
  readonly sagaId: string;
  readonly data: Data;
}
export interface SagaCompensatedEvent<Data> extends SagaCompletedEvent<Data> {
  /** Why: a failure reply's reason, `STEP_TIMED_OUT`, or the reason given to `abort`. */
  readonly reason: string;
}

export interface SagaDefinition<Data = unknown> {
  readonly name: string;
  /** Instances finish on the version they started with: keep older versions registered while they run. */
  readonly version: number;
  readonly steps: readonly SagaStep<Data>[];
  /** Index of the first `retryUntilDone` step; `steps.length` when there is none. */
  readonly pivot: number;
  /** Runs in the transaction that accepts the last step's success. */
  readonly onCompleted: ((tx: PoolClient, event: SagaCompletedEvent<Data>) => Promise<void>) | undefined;
  /** Runs in the transaction that accepts the last compensation's success. */
  readonly onCompensated: ((tx: PoolClient, event: SagaCompensatedEvent<Data>) => Promise<void>) | undefined;
}

export interface SagaDefinitionSpec<Data> {
  readonly name: string;
  readonly version: number;
  readonly steps: readonly SagaStep<Data>[];
  readonly onCompleted?: (tx: PoolClient, event: SagaCompletedEvent<Data>) => Promise<void>;
  readonly onCompensated?: (tx: PoolClient, event: SagaCompensatedEvent<Data>) => Promise<void>;
}

/**
 * Declares a saga: its steps in order, each with its compensation, and what happens when it ends.
 * Checks the declaration at once, so a mistake fails at start-up rather than mid-checkout.
 *
 * @example
 * export const checkoutSaga = defineSaga<CheckoutData>({
 *   name: 'checkout',
 *   version: 1,
 *   steps: [verifyCustomer, reserveStock, authorizePayment, commitReservation, capturePayment],
 *   onCompleted: (tx, { sagaId }) => orders.approveOrder(tx, sagaId, clock.now()),
 * });
 */
export function defineSaga<Data>(spec: SagaDefinitionSpec<Data>): SagaDefinition<Data> {
  const problem = (text: string) => new Error(`saga ${spec.name} v${spec.version}: ${text}`);
  if (!/^[a-z][a-zA-Z0-9-]*$/.test(spec.name)) throw problem('name must be a lower-camel or kebab-case word');
  if (!Number.isInteger(spec.version) || spec.version < 1) throw problem('version must be a positive integer');
  if (spec.steps.length === 0) throw problem('needs at least one step');
  const names = new Set<string>();
  for (const each of spec.steps) {
    if (names.has(each.name)) throw problem(`two steps are named ${each.name}`);
    names.add(each.name);
    // Checked again at run time: a definition may come from plain JavaScript or a cast.
    if (kindOf(each.command) !== 'command')
      throw problem(`step ${each.name} sends ${each.command.type}, not a command`);
    if (each.success.length === 0) throw problem(`step ${each.name} has no success reply`);
    const replies = [...each.success, ...each.failure, ...each.pending, ...(each.compensation?.success ?? [])];
    const notReply = replies.find((reply) => kindOf(reply) !== 'reply');
    if (notReply) throw problem(`step ${each.name} waits for ${notReply.type}, which is not a reply`);
    const successTypes = new Set(each.success.map((reply) => reply.type));
    const both = each.failure.find((reply) => successTypes.has(reply.type));
    if (both) throw problem(`step ${each.name} lists ${both.type} as both success and failure`);
    const pendingToo = each.pending.find((reply) => successTypes.has(reply.type));
    if (pendingToo) throw problem(`step ${each.name} lists ${pendingToo.type} as both success and pending`);
    checkWaiting(each, problem);
    if (!(each.deadlineMs > 0) || !((each.compensation?.deadlineMs ?? each.deadlineMs) > 0)) {
      throw problem(`step ${each.name} needs positive deadlines`);
    }
    if (each.compensation && each.compensation.success.length === 0) {
      throw problem(`the compensation of step ${each.name} has no success reply`);
    }
  }
  const firstRetried = spec.steps.findIndex((each) => each.retryUntilDone);
  const pivot = firstRetried === -1 ? spec.steps.length : firstRetried;
  const after = spec.steps.slice(pivot).find((each) => !each.retryUntilDone);
  if (after) throw problem(`step ${after.name} comes after the pivot and must be retryUntilDone`);
  return {
    name: spec.name,
    version: spec.version,
    steps: spec.steps,
    pivot,
    onCompleted: spec.onCompleted,
    onCompensated: spec.onCompensated,
  };
}

/** A step with `pending` replies must say which events end its wait, and only such a step may. */
function checkWaiting<Data>(each: SagaStep<Data>, problem: (text: string) => Error): void {
  const awaited = each.awaitEvent;
  if (each.pending.length > 0 && !awaited) throw problem(`step ${each.name} has pending replies but no awaitEvent`);
  if (!awaited) return;
  if (each.pending.length === 0) throw problem(`step ${each.name} awaits an event but has no pending reply`);
  if (each.retryUntilDone) throw problem(`step ${each.name} is past the pivot and cannot wait for an event`);
  if (awaited.success.length === 0) throw problem(`step ${each.name} awaits no success event`);
  const events = [...awaited.success, ...awaited.failure];
  const notEvent = events.find((event) => kindOf(event) !== 'event');
  if (notEvent) throw problem(`step ${each.name} awaits ${notEvent.type}, which is not an event`);
  const successTypes = new Set(awaited.success.map((event) => event.type));
  const both = awaited.failure.find((event) => successTypes.has(event.type));
  if (both) throw problem(`step ${each.name} awaits ${both.type} both as success and failure`);
  if (awaited.deadlineMs !== undefined && !(awaited.deadlineMs > 0)) {
    throw problem(`step ${each.name} needs a positive deadline for its event`);
  }
}

function kindOf(definition: AnyMessageDefinition): string {
  return definition.kind;
}

/** A definition whatever its data: what the orchestrator registers. */
// `any` keeps every concrete definition assignable here: `Data` is both read and returned by its steps.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySagaDefinition = SagaDefinition<any>;

/** Every reply type a definition waits for, in any step or compensation. */
export function replyDefinitionsOf(definition: AnySagaDefinition): ReplyDefinition[] {
  return definition.steps.flatMap((each) => [
    ...each.success,
    ...each.failure,
    ...each.pending,
    ...(each.compensation?.success ?? []),
  ]);
}

/** Every event type a definition's waiting steps wait for. */
export function eventDefinitionsOf(definition: AnySagaDefinition): EventDefinition[] {
  return definition.steps.flatMap((each) =>
    each.awaitEvent ? [...each.awaitEvent.success, ...each.awaitEvent.failure] : [],
  );
}
