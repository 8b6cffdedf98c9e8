import type { CancelledBy } from './domain/index.ts';

/** The name the cancellation saga (of an approved order) is registered under. */
export const CANCELLATION_SAGA = 'cancellation';

/**
 * What the cancellation saga starts with. Its saga id is a new id per attempt (the order id already
 * names the order's checkout saga), recorded in the order's `CancellationStarted`.
 */
export interface CancellationStartData {
  readonly orderId: string;
  readonly customerId: string;
  readonly requestedBy: CancelledBy;
}
