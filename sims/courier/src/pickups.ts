import { randomUUID } from 'node:crypto';
import type { Clock } from '@talad/core';
import type { Logger } from '@talad/service';
import {
  REPORTED_STATUSES,
  type PickupRequest,
  type PickupStatus,
  type PickupView,
  type ReportedStatus,
  type StatusUpdate,
} from './schemas.ts';
import { SIGNATURE_HEADER, signUpdate } from './signature.ts';

export interface Pace {
  /** Between booking and dispatch, and between each later step. */
  stepMs: number;
  /** First wait before a failed update is sent again (doubling to 30 s); at least a second. */
  retryMs: number;
  /** Deadline of one update call. */
  callbackTimeoutMs: number;
}

interface Pickup {
  readonly id: string;
  readonly reference: string;
  readonly request: PickupRequest | null;
  status: PickupStatus;
  readonly history: Array<{ status: PickupStatus; at: string }>;
  readonly bookedAt: string;
  timer: NodeJS.Timeout | undefined;
}

export type CancelOutcome = { ok: true; pickup: PickupView } | { ok: false; status: PickupStatus };

/** What the sender's answer to a status update means to the courier. */
type Answer = 'acknowledged' | 'refused' | 'rejected' | 'retry';

/**
 * The courier's book of pickups, in memory, and the van that moves each one along: a step after
 * booking it reports `dispatched`, then `in_transit`, then `delivered`, each a signed POST to the
 * sender's callback URL. A step counts only once the sender acknowledged it (2xx, or 409: it had that
 * update already); failures are sent again, signed afresh, until acknowledged. A 410 to `dispatched`
 * is the sender refusing the handover (the order was cancelled): the parcel stays, the pickup is off.
 */
export function createPickupBook(options: { pace: Pace; clock: Clock; logger: Logger }) {
  const { pace, clock, logger } = options;
  const byReference = new Map<string, Pickup>();
  const closing = new AbortController();

  const record = (pickup: Pickup, status: PickupStatus): void => {
    pickup.status = status;
    pickup.history.push({ status, at: clock.now().toISOString() });
  };

  const schedule = (pickup: Pickup, work: () => Promise<void>, delayMs: number): void => {
    if (closing.signal.aborted) return;
    pickup.timer = setTimeout(() => {
      pickup.timer = undefined;
      work().catch((error: unknown) =>
        logger.error({ err: error, reference: pickup.reference }, 'courier step failed'),
      );
    }, delayMs);
  };

  const send = async (pickup: Pickup, update: StatusUpdate): Promise<Answer> => {
    const request = pickup.request;
    if (!request) return 'rejected';
    const body = JSON.stringify(update);
    try {
      const response = await fetch(request.callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signUpdate(request.callbackSecret, Math.floor(clock.now().getTime() / 1000), body),
        },
        body,
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(pace.callbackTimeoutMs)]),
      });
      await response.body?.cancel();
      if (response.ok || response.status === 409) return 'acknowledged';
      if (response.status === 410) return 'refused';
      if (response.status >= 500 || response.status === 429 || response.status === 408) return 'retry';
      logger.warn({ reference: pickup.reference, status: response.status }, 'the sender rejected a status update');
      return 'rejected';
    } catch (error) {
      if (closing.signal.aborted) return 'rejected';
      logger.warn({ reference: pickup.reference, err: error }, 'status update not delivered; will retry');
      return 'retry';
    }
  };

  /** Reports one step, retrying until the sender answers, then moves on to the next. */
  const report = (pickup: Pickup, status: ReportedStatus): (() => Promise<void>) => {
    const update: StatusUpdate = {
      eventId: randomUUID(),
      pickupId: pickup.id,
      reference: pickup.reference,
      status,
      occurredAt: clock.now().toISOString(),
    };
    let attempt = 0;
    // A cancellation may come in while an update is on its way; a function, so the check is made each time.
    const calledOff = (): boolean => pickup.status === 'cancelled';
    const run = async (): Promise<void> => {
      if (calledOff()) return;
      const answer = await send(pickup, update);
      if (calledOff()) return;
      if (answer === 'retry') {
        attempt += 1;
        schedule(pickup, run, Math.min(Math.max(1_000, pace.retryMs) * 2 ** (attempt - 1), 30_000));
        return;
      }
      if (answer === 'refused') {
        record(pickup, 'cancelled');
        return;
      }
      if (answer === 'rejected') return;
      record(pickup, status);
      const next = REPORTED_STATUSES[REPORTED_STATUSES.indexOf(status) + 1];
      if (next) schedule(pickup, report(pickup, next), pace.stepMs);
    };
    return run;
  };

  return {
    /** Books a pickup, or returns the one already booked under this reference (booking is idempotent). */
    book(request: PickupRequest): { created: boolean; pickup: PickupView } {
      const existing = byReference.get(request.reference);
      if (existing) return { created: false, pickup: view(existing) };
      const pickup: Pickup = {
        id: `PU-${randomUUID()}`,
        reference: request.reference,
        request,
        status: 'booked',
        history: [],
        bookedAt: clock.now().toISOString(),
        timer: undefined,
      };
      record(pickup, 'booked');
      byReference.set(request.reference, pickup);
      schedule(pickup, report(pickup, 'dispatched'), pace.stepMs);
      return { created: true, pickup: view(pickup) };
    },

    /**
     * Calls off a pickup that has not left the sender. Cancelling a reference never booked records it
     * as cancelled, so a booking that arrives later (a request overtaken by its own cancellation) stays off.
     */
    cancel(reference: string): CancelOutcome {
      const pickup = byReference.get(reference);
      if (!pickup) {
        const cancelled: Pickup = {
          id: `PU-${randomUUID()}`,
          reference,
          request: null,
          status: 'booked',
          history: [],
          bookedAt: clock.now().toISOString(),
          timer: undefined,
        };
        record(cancelled, 'cancelled');
        byReference.set(reference, cancelled);
        return { ok: true, pickup: view(cancelled) };
      }
      if (pickup.status === 'cancelled') return { ok: true, pickup: view(pickup) };
      if (pickup.status !== 'booked') return { ok: false, status: pickup.status };
      clearTimeout(pickup.timer);
      record(pickup, 'cancelled');
      return { ok: true, pickup: view(pickup) };
    },

    find(reference: string): PickupView | undefined {
      const pickup = byReference.get(reference);
      return pickup && view(pickup);
    },

    all(): PickupView[] {
      return [...byReference.values()].map(view);
    },

    /** Stops every van: no more updates are sent, those in flight are abandoned. */
    close(): void {
      closing.abort();
      for (const pickup of byReference.values()) clearTimeout(pickup.timer);
    },
  };
}

export type PickupBook = ReturnType<typeof createPickupBook>;

function view(pickup: Pickup): PickupView {
  return {
    id: pickup.id,
    reference: pickup.reference,
    status: pickup.status,
    history: pickup.history.map((entry) => ({ ...entry })),
    bookedAt: pickup.bookedAt,
  };
}
