import { describe, expect, it } from 'vitest';
import { isTrackingNumber, TrackingNumberSchema } from '@talad/contracts-shipping';
import { decideCancellation, decideCourierUpdate, newTrackingNumber } from './shipment.ts';

describe('courier updates', () => {
  it('move a shipment forward, one step or several', () => {
    expect(decideCourierUpdate('created', 'dispatched')).toEqual({ kind: 'advance', to: 'dispatched' });
    expect(decideCourierUpdate('dispatched', 'in_transit')).toEqual({ kind: 'advance', to: 'in_transit' });
    expect(decideCourierUpdate('created', 'delivered')).toEqual({ kind: 'advance', to: 'delivered' });
  });

  it('change nothing when late or repeated', () => {
    expect(decideCourierUpdate('dispatched', 'dispatched')).toEqual({ kind: 'unchanged' });
    expect(decideCourierUpdate('delivered', 'in_transit')).toEqual({ kind: 'unchanged' });
  });

  it('are refused for a cancelled shipment', () => {
    expect(decideCourierUpdate('cancelled', 'dispatched')).toEqual({ kind: 'refuse-cancelled' });
  });
});

describe('cancellation', () => {
  it('cancels before dispatch, accepts a second cancel, refuses after dispatch', () => {
    expect(decideCancellation('created')).toEqual({ kind: 'cancel' });
    expect(decideCancellation('cancelled')).toEqual({ kind: 'already-cancelled' });
    for (const status of ['dispatched', 'in_transit', 'delivered'] as const) {
      expect(decideCancellation(status)).toEqual({ kind: 'refuse', status });
    }
  });
});

describe('tracking numbers', () => {
  it('are TH, twelve digits and the Luhn digit of the twelve', () => {
    let next = 0;
    expect(newTrackingNumber(() => (next++ === 11 ? 1 : 0))).toBe('TH0000000000018');
    for (let index = 0; index < 200; index++) {
      const number = newTrackingNumber();
      expect(number).toMatch(/^TH\d{13}$/);
      expect(isTrackingNumber(number)).toBe(true);
    }
  });

  it('tell a mistyped number from a real one', () => {
    expect(isTrackingNumber('TH0000000000018')).toBe(true);
    expect(isTrackingNumber('TH0000000000017')).toBe(false); // wrong check digit
    expect(isTrackingNumber('TH0000000000081')).toBe(false); // two digits swapped
    expect(isTrackingNumber('TH000000000001')).toBe(false);
    expect(isTrackingNumber('XX0000000000018')).toBe(false);
    expect(TrackingNumberSchema.safeParse('TH0000000000017').success).toBe(false);
  });
});
