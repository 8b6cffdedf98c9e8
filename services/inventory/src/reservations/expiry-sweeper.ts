import type { Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import type { Logger } from '@talad/service';
import { combineChanges, decideExpiry, type Decision } from './reservation-rules.ts';
import { applyDecision, lockReservationsDue } from './reservation-store.ts';

export interface ExpirySweeperOptions {
  messaging: Pick<Messaging, 'transaction' | 'publish'>;
  clock: Clock;
  logger: Logger;
  /** Pause between sweeps. */
  intervalMs: number;
  /** Reservations expired per transaction. Defaults to 100. */
  batchSize?: number;
}

export interface ExpirySweeper {
  /** Expires every held reservation whose time is up; resolves with how many this call expired. */
  sweepOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Gives back the units of reservations nobody committed or released by their `expiresAt`. Safe with
 * several instances sweeping at once: each batch locks its reservations with `FOR UPDATE SKIP LOCKED`,
 * so a reservation is expired by exactly one of them, and a commit or release racing the sweep either
 * goes first (the reservation is no longer held) or waits and finds it expired.
 *
 * @example
 * const sweeper = createExpirySweeper({ messaging, clock, logger, intervalMs: 2_000 });
 * sweeper.start(); // ... await sweeper.stop();
 */
export function createExpirySweeper(options: ExpirySweeperOptions): ExpirySweeper {
  const { messaging, clock, logger } = options;
  const batchSize = options.batchSize ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  const sweepBatch = (): Promise<number> =>
    messaging.transaction(async (tx) => {
      const now = clock.now();
      const due = await lockReservationsDue(tx, now, batchSize);
      const decisions = due.flatMap((reservation) => decideExpiry(reservation, now) ?? []);
      for (const decision of decisions) await applyDecision(tx, messaging, { write: decision.write, changes: [] }, now);
      // One stock update for the whole batch, its rows locked in product-id order.
      const changes = combineChanges(decisions.flatMap((decision: Decision<null>) => decision.changes));
      await applyDecision(tx, messaging, { write: null, changes }, now);
      return decisions.length;
    });

  const sweepOnce = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const expired = await sweepBatch();
      total += expired;
      if (expired < batchSize || stopped) return total;
    }
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sweepOnce()
        .then((expired) => {
          if (expired > 0) logger.info({ expired }, 'expired reservations released');
        })
        .catch((error: unknown) => logger.warn({ err: error }, 'reservation sweep failed; trying again'))
        .finally(schedule);
    }, options.intervalMs);
    timer.unref();
  };

  return {
    sweepOnce,
    start: schedule,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
