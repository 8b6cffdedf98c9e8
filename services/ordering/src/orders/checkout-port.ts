import type { Money } from '@talad/contracts-common';
import type { SAGA_STEP_STATES } from '@talad/contracts-ordering';
import type { PaymentMethod } from '@talad/contracts-payment';
import type { PoolClient } from '@talad/pg';
import type { CancellationStartData } from './cancellation-port.ts';

/** The name the checkout saga is registered under. */
export const CHECKOUT_SAGA = 'checkout';

/** What the checkout saga starts with: what its commands need. The saga id is the order id. */
export interface CheckoutStartData {
  readonly orderId: string;
  readonly customerId: string;
  /** One line per product (sizes merged): stock is held per product. */
  readonly lines: ReadonlyArray<{ readonly productId: string; readonly quantity: number }>;
  readonly total: Money;
  readonly paymentMethod: PaymentMethod;
}

export type SagaStepState = (typeof SAGA_STEP_STATES)[number];
export type SagaState = 'running' | 'compensating' | 'completed' | 'compensated';
export const SAGA_STATES: readonly SagaState[] = ['running', 'compensating', 'completed', 'compensated'];

/** The parts of a saga instance's view ordering shows (the orchestrator's view has more). */
export interface SagaInstanceView {
  readonly state: SagaState;
  readonly steps: ReadonlyArray<{ readonly name: string; readonly state: SagaStepState }>;
}

/**
 * What ordering needs of the saga orchestrator (`@talad/saga`): start a checkout in the transaction
 * that places the order (and a cancellation in the one that asks to cancel an approved order), abort a
 * checkout when the customer cancels, and read instances for the order view and the admin API.
 */
export interface CheckoutOrchestrator {
  start(
    tx: PoolClient,
    name: string,
    sagaId: string,
    data: CheckoutStartData | CancellationStartData,
  ): Promise<unknown>;
  abort(tx: PoolClient, sagaId: string, reason: string): Promise<boolean>;
  get(sagaId: string): Promise<SagaInstanceView | null | undefined>;
  list(filter: { state?: SagaState; limit: number }): Promise<readonly SagaInstanceView[]>;
}
