import type { ShippingAddress } from '@talad/contracts-common';
import type { Clock } from '@talad/core';
import type { Pool } from '@talad/pg';
import type { Logger } from '@talad/service';
import type { Courier } from './courier-client.ts';

export interface PickupDeskSettings {
  /** Backstop poll for due work (work made by this instance wakes the desk at once). */
  pollMs: number;
  /** How long a desk holds a shipment it is calling the courier about; longer than a call's deadline. */
  leaseMs: number;
  /** Most shipments taken per pass. */
  batchSize: number;
  /** First wait after a failed call, doubling up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_PICKUP_DESK_SETTINGS: PickupDeskSettings = {
  pollMs: 1_000,
  leaseMs: 15_000,
  batchSize: 20,
  backoffMs: 1_000,
  maxBackoffMs: 60_000,
};

interface Task {
  id: string;
  pickup_state: 'to_book' | 'to_cancel';
  address: ShippingAddress;
  pickup_attempts: number;
}

/** How long old courier signatures are kept: past the timestamps' tolerance, a replay is refused as stale. */
const SIGNATURE_RETENTION_MS = 15 * 60_000;

/**
 * Books pickups for new shipments and calls off those of cancelled ones. The courier is outside our
 * transactions, so the intent is recorded with the shipment (`pickup_state`) and carried out here,
 * again and again until the courier has done it: both calls are idempotent by reference. Shipments are
 * taken with FOR UPDATE SKIP LOCKED and leased (`pickup_due_at` pushed ahead) before the call, so
 * several instances never call about the same shipment at once and no transaction stays open across
 * a call; a desk that dies mid-call leaves the lease to run out and another desk to try again.
 */
export function createPickupDesk(options: {
  pool: Pool;
  courier: Courier;
  clock: Clock;
  logger: Logger;
  settings?: Partial<PickupDeskSettings>;
}) {
  const { pool, courier, clock, logger } = options;
  const settings: PickupDeskSettings = { ...DEFAULT_PICKUP_DESK_SETTINGS, ...options.settings };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  let again = false;

  const take = async (): Promise<Task[]> => {
    const now = clock.now();
    const { rows } = await pool.query<Task>(
      `UPDATE shipments SET pickup_due_at = $2, pickup_attempts = pickup_attempts + 1
        WHERE id IN (SELECT id FROM shipments
                      WHERE pickup_state IN ('to_book', 'to_cancel') AND pickup_due_at <= $1
                      ORDER BY pickup_due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id, pickup_state, address, pickup_attempts`,
      [now, new Date(now.getTime() + settings.leaseMs), settings.batchSize],
    );
    return rows;
  };

  const carryOut = async (task: Task): Promise<void> => {
    try {
      if (task.pickup_state === 'to_book') {
        await courier.bookPickup({ reference: task.id, address: task.address });
        // Cancelled while the booking was in flight: the lease ends now, so the cancellation goes next.
        await pool.query(
          `UPDATE shipments
              SET pickup_state = CASE pickup_state WHEN 'to_book' THEN 'booked' ELSE pickup_state END,
                  pickup_due_at = $2, pickup_attempts = 0, pickup_error = NULL
            WHERE id = $1`,
          [task.id, clock.now()],
        );
        return;
      }
      const result = await courier.cancelPickup(task.id);
      if (result.kind === 'too-late') {
        logger.error({ shipmentId: task.id, pickupStatus: result.status }, 'the courier took a cancelled shipment');
      }
      await pool.query(
        `UPDATE shipments SET pickup_state = 'cancelled', pickup_attempts = 0, pickup_error = NULL
          WHERE id = $1 AND pickup_state = 'to_cancel'`,
        [task.id],
      );
    } catch (error) {
      const delay = Math.min(settings.backoffMs * 2 ** Math.max(0, task.pickup_attempts - 1), settings.maxBackoffMs);
      logger.warn({ shipmentId: task.id, err: error, retryInMs: delay }, 'courier call failed; will retry');
      await pool.query('UPDATE shipments SET pickup_due_at = $2, pickup_error = $3 WHERE id = $1', [
        task.id,
        new Date(clock.now().getTime() + delay),
        error instanceof Error ? error.message : String(error),
      ]);
    }
  };

  const pass = async (): Promise<void> => {
    do {
      again = false;
      const tasks = await take();
      await Promise.all(tasks.map(carryOut));
      if (tasks.length === settings.batchSize) again = true;
    } while (again && !stopped);
    await pool.query('DELETE FROM courier_signatures_seen WHERE received_at < $1', [
      new Date(clock.now().getTime() - SIGNATURE_RETENTION_MS),
    ]);
  };

  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = pass()
      .catch((error: unknown) => logger.error({ err: error }, 'pickup desk pass failed'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(run, again ? 0 : settings.pollMs);
      });
  };

  return {
    start(): void {
      stopped = false;
      run();
    },
    /** Work was just committed (or is about to be): look soon rather than at the next poll. */
    wake(): void {
      if (stopped) return;
      clearTimeout(timer);
      // The waking handler's transaction commits right after it returns.
      timer = setTimeout(run, 20);
    },
    /** Stops polling and waits for the pass in progress. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type PickupDesk = ReturnType<typeof createPickupDesk>;
