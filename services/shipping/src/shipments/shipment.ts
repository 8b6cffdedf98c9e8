import { randomInt } from 'node:crypto';
import { trackingCheckDigit, type ShipmentStatus } from '@talad/contracts-shipping';

/** The order a shipment moves in; `cancelled` stands apart (only from `created`). */
const PROGRESSION = ['created', 'dispatched', 'in_transit', 'delivered'] as const satisfies readonly ShipmentStatus[];

/** The statuses the courier reports. */
export type CourierStatus = Exclude<(typeof PROGRESSION)[number], 'created'>;

export type CourierUpdateDecision =
  | { kind: 'advance'; to: CourierStatus }
  /** The update is not news (a step already recorded, or one overtaken by a later one): nothing changes. */
  | { kind: 'unchanged' }
  /** The shipment was cancelled before the parcel left: the courier must not take it. */
  | { kind: 'refuse-cancelled' };

/**
 * What a courier update does to a shipment. Statuses only move forward: an update that arrives late,
 * after a later one, changes nothing, so the published statuses come in order whatever the network does.
 *
 * @example
 * decideCourierUpdate('created', 'dispatched'); // { kind: 'advance', to: 'dispatched' }
 * decideCourierUpdate('delivered', 'in_transit'); // { kind: 'unchanged' }
 */
export function decideCourierUpdate(current: ShipmentStatus, reported: CourierStatus): CourierUpdateDecision {
  if (current === 'cancelled') return { kind: 'refuse-cancelled' };
  return PROGRESSION.indexOf(reported) > PROGRESSION.indexOf(current)
    ? { kind: 'advance', to: reported }
    : { kind: 'unchanged' };
}

export type CancellationDecision =
  | { kind: 'cancel' }
  | { kind: 'already-cancelled' }
  /** The parcel has left the warehouse: too late. */
  | { kind: 'refuse'; status: ShipmentStatus };

/** A shipment can be cancelled until the courier has taken it (`dispatched`); cancelling twice is fine. */
export function decideCancellation(current: ShipmentStatus): CancellationDecision {
  if (current === 'created') return { kind: 'cancel' };
  if (current === 'cancelled') return { kind: 'already-cancelled' };
  return { kind: 'refuse', status: current };
}

/**
 * A fresh tracking number: `TH`, twelve random digits, and their Luhn check digit.
 *
 * @example
 * newTrackingNumber(); // 'TH4821907365128'
 */
export function newTrackingNumber(digit: () => number = () => randomInt(10)): string {
  const digits = Array.from({ length: 12 }, digit).join('');
  return `TH${digits}${trackingCheckDigit(digits)}`;
}
