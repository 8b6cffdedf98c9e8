import type { AnyMessageDefinition, IncomingMessage, MessageInput, ReceivedMessage } from '@talad/messaging';
import type { PoolClient } from '@talad/pg';

/** A command a step sends. */
export type CommandDefinition = AnyMessageDefinition & { kind: 'command' };
/** A reply a step waits for. */
export type ReplyDefinition = AnyMessageDefinition & { kind: 'reply' };

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

export interface StepSpec<
  Data,
  Command extends CommandDefinition,
  Success extends readonly ReplyDefinition[],
  Failure extends readonly ReplyDefinition[],
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
  readonly deadlineMs: number;
  readonly compensation: CompensationSpec<Data> | undefined;
  readonly retryUntilDone: boolean;
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
>(spec: StepSpec<Data, Command, Success, Failure>): SagaStep<Data> {
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
    const replies = [...each.success, ...each.failure, ...(each.compensation?.success ?? [])];
    const notReply = replies.find((reply) => kindOf(reply) !== 'reply');
    if (notReply) throw problem(`step ${each.name} waits for ${notReply.type}, which is not a reply`);
    const successTypes = new Set(each.success.map((reply) => reply.type));
    const both = each.failure.find((reply) => successTypes.has(reply.type));
    if (both) throw problem(`step ${each.name} lists ${both.type} as both success and failure`);
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

function kindOf(definition: AnyMessageDefinition): string {
  return definition.kind;
}

/** A definition whatever its data: what the orchestrator registers. */
// `any` keeps every concrete definition assignable here: `Data` is both read and returned by its steps.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySagaDefinition = SagaDefinition<any>;

/** Every reply type a definition waits for, in any step or compensation. */
export function replyDefinitionsOf(definition: AnySagaDefinition): ReplyDefinition[] {
  return definition.steps.flatMap((each) => [...each.success, ...each.failure, ...(each.compensation?.success ?? [])]);
}
