import { append, readStream } from '@talad/eventstore';
import type { Queryable } from '@talad/pg';
import { decide, fold, type OrderCommand, type OrderEvent, type OrderState } from './domain/index.ts';

/** One stream per order. */
export function orderStreamId(orderId: string): string {
  return `order-${orderId}`;
}

export interface LoadedOrder {
  readonly state: OrderState;
  /** The stream's version: the expected version of the next append. */
  readonly version: number;
}

/** The order as its events add up, and its stream's version; a null state when there is no such order. */
export async function loadOrder(db: Queryable, orderId: string): Promise<LoadedOrder> {
  const stream = await readStream<OrderEvent>(db, orderStreamId(orderId));
  return { state: fold(stream.events), version: stream.version };
}

export interface CommandOutcome {
  /** The order before the command. */
  readonly before: OrderState;
  /** The order after the command's events. */
  readonly after: OrderState;
  /** What was recorded; empty when the command had already taken effect. */
  readonly events: readonly OrderEvent[];
}

/**
 * Loads the order, decides, and appends the events at the version it read, in the caller's transaction.
 * A writer that appended in between makes the append fail with a ConcurrencyError, rolling the caller's
 * transaction back (a saga transition is then retried by its message's redelivery).
 */
export async function executeOrderCommand(
  tx: Queryable,
  orderId: string,
  command: OrderCommand,
): Promise<CommandOutcome> {
  const { state, version } = await loadOrder(tx, orderId);
  const events = decide(command, state);
  if (events.length > 0) await append(tx, orderStreamId(orderId), version, events);
  return { before: state, after: fold(events, state), events };
}
