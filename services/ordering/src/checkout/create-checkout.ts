import type { Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import type { Pool } from '@talad/pg';
import { createSagaOrchestrator, type AnySagaDefinition, type SagaOrchestrator } from '@talad/saga';
import type { Logger, Registry } from '@talad/service';
import { checkoutSaga, type CheckoutTimings, type OrderOutcomes } from './checkout-saga.ts';

export interface CheckoutOptions {
  pool: Pool;
  messaging: Messaging;
  /** The order changes the saga's hooks make. */
  orders: OrderOutcomes;
  clock: Clock;
  logger?: Logger | undefined;
  /** Defaults to the messaging's registry (the app's). */
  registry?: Registry;
  timings?: Partial<CheckoutTimings>;
  sweepIntervalMs?: number;
  /** Other sagas ordering runs beside checkout (the cancellation of approved orders): one orchestrator, one sweeper. */
  sagas?: readonly AnySagaDefinition[] | undefined;
}

/** The checkout orchestrator as the ordering app runs it: subscribe before messaging starts, then run. */
export interface Checkout extends SagaOrchestrator {
  /** Starts the deadline sweeper; call once messaging runs. */
  run(): void;
  stop(): Promise<void>;
}

/**
 * Builds the checkout saga's orchestrator on ordering's database and messaging (the saga tables come
 * from `migrateSaga`).
 *
 * @example
 * const checkout = createCheckout({ pool, messaging, orders: createOrderLifecycle({ publisher: messaging }), clock, logger });
 * checkout.subscribe();
 * await messaging.start();
 * checkout.run();
 */
export function createCheckout(options: CheckoutOptions): Checkout {
  const orchestrator = createSagaOrchestrator({
    pool: options.pool,
    messaging: options.messaging,
    clock: options.clock,
    definitions: [
      checkoutSaga({
        orders: options.orders,
        clock: options.clock,
        ...(options.timings ? { timings: options.timings } : {}),
      }),
      ...(options.sagas ?? []),
    ],
    ...(options.logger ? { logger: options.logger.child({ component: 'checkout' }) } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.sweepIntervalMs ? { sweepIntervalMs: options.sweepIntervalMs } : {}),
  });
  return {
    ...orchestrator,
    run: () => orchestrator.startSweeper(),
    stop: () => orchestrator.stopSweeper(),
  };
}
