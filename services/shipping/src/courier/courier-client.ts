import type { ShippingAddress } from '@talad/contracts-common';
import { injectTraceHeaders } from '@talad/service';

/** The courier did not answer, answered 5xx, or answered something its API does not allow: try again later. */
export class CourierUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CourierUnavailableError';
  }
}

export interface PickupBooking {
  /** Our reference at the courier: the shipment id. Booking it again returns the same pickup. */
  reference: string;
  address: ShippingAddress;
}

export type CancelPickupResult = { kind: 'cancelled' } | { kind: 'too-late'; status: string };

/** The courier's API as shipping uses it: book a pickup, call it off. Both are safe to repeat. */
export interface Courier {
  bookPickup(booking: PickupBooking): Promise<void>;
  cancelPickup(reference: string): Promise<CancelPickupResult>;
}

export interface CourierClientOptions {
  /** The courier's origin, e.g. `http://127.0.0.1:8203`. */
  baseUrl: string;
  /** Where the courier POSTs status updates (shipping's `/courier/updates`). */
  callbackUrl: string;
  /** The key the courier signs them with; given at every booking, as a webhook's secret is at its creation. */
  callbackSecret: string;
  /** Deadline of one call. Defaults to 3 s. */
  timeoutMs?: number;
}

/**
 * The courier over HTTP. No retries here: the pickup desk tries again later, which survives a restart.
 *
 * @example
 * const courier = createCourierClient({ baseUrl, callbackUrl, callbackSecret });
 * await courier.bookPickup({ reference: shipmentId, address });
 */
export function createCourierClient(options: CourierClientOptions): Courier {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const call = async (path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    injectTraceHeaders(headers);
    let response: Response;
    try {
      response = await fetch(new URL(path, options.baseUrl), {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new CourierUnavailableError(`the courier did not answer POST ${path}`, { cause: error });
    }
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // A body that is not JSON says nothing more than its status.
    }
    return { status: response.status, body: parsed };
  };

  return {
    async bookPickup(booking) {
      const answer = await call('/v1/pickups', {
        reference: booking.reference,
        address: booking.address,
        callbackUrl: options.callbackUrl,
        callbackSecret: options.callbackSecret,
      });
      if (answer.status !== 200 && answer.status !== 201) {
        throw new CourierUnavailableError(`the courier answered ${answer.status} to a booking`);
      }
    },
    async cancelPickup(reference) {
      const answer = await call(`/v1/pickups/${encodeURIComponent(reference)}/cancel`, {});
      if (answer.status === 200) return { kind: 'cancelled' };
      if (answer.status === 409) {
        const status = answer.body['pickupStatus'];
        return { kind: 'too-late', status: typeof status === 'string' ? status : 'unknown' };
      }
      throw new CourierUnavailableError(`the courier answered ${answer.status} to a cancellation`);
    },
  };
}
