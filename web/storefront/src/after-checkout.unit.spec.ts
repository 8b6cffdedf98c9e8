import { describe, expect, it } from 'vitest';
import { isFinal, mayCancel, milestonesOf } from './order-timeline.ts';
import { formatPaymentCode, svgDataUrl, timeLeft } from './pay-slip.ts';

const at = (minute: number) => `2026-11-27T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('an order timeline', () => {
  it('shows placed, paid, shipped and delivered, with the time of those passed', () => {
    const milestones = milestonesOf({
      stage: 'shipped',
      timeline: [
        { step: 'placed', at: at(0) },
        { step: 'payment_authorized', at: at(1) },
        { step: 'paid', at: at(2) },
        { step: 'approved', at: at(2) },
        { step: 'shipment_created', at: at(3) },
        { step: 'in_transit', at: at(9) },
      ],
    });
    expect(milestones.map((milestone) => [milestone.name, milestone.at])).toEqual([
      ['placed', at(0)],
      ['paid', at(2)],
      ['shipped', at(9)],
      ['delivered', undefined],
    ]);
  });

  it('counts a parcel as shipped from its dispatch, before it is in transit', () => {
    const [, , shipped] = milestonesOf({
      stage: 'shipped',
      timeline: [
        { step: 'placed', at: at(0) },
        { step: 'dispatched', at: at(5) },
        { step: 'in_transit', at: at(7) },
      ],
    });
    expect(shipped).toMatchObject({ name: 'shipped', at: at(5) });
  });

  it('ends a cancelled order at its cancellation, keeping only what it passed', () => {
    const milestones = milestonesOf({
      stage: 'cancelled',
      timeline: [
        { step: 'placed', at: at(0) },
        { step: 'payment_pending', at: at(1) },
        { step: 'payment_voided', at: at(4) },
        { step: 'cancelled', at: at(4) },
      ],
    });
    expect(milestones.map((milestone) => milestone.name)).toEqual(['placed', 'cancelled']);
    expect(milestones[1]).toMatchObject({ label: 'Cancelled', at: at(4) });
  });

  it('offers cancelling only until the parcel leaves, and stops asking once the order ended', () => {
    expect(['pending', 'awaiting_payment', 'approved'].every((stage) => mayCancel(stage as never))).toBe(true);
    expect(['shipped', 'delivered', 'rejected', 'cancelled'].some((stage) => mayCancel(stage as never))).toBe(false);
    expect(isFinal('delivered')).toBe(true);
    expect(isFinal('awaiting_payment')).toBe(false);
  });
});

describe('a pay slip', () => {
  it('shows the fifteen-digit payment code in groups of five', () => {
    expect(formatPaymentCode('012345678901234')).toBe('01234 56789 01234');
  });

  it('turns the barcode SVG into an image address, so its markup never enters the page', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="2"/></svg>';
    const url = svgDataUrl(svg);
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(url).not.toMatch(/[<>"]/);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(svg);
  });

  it('says how long is left to pay', () => {
    const now = new Date(at(0));
    expect(timeLeft(at(30), now)).toBe('30 minutes left');
    expect(timeLeft('2026-11-28T10:00:00.000Z', now)).toBe('24 hours left');
    expect(timeLeft('2026-11-30T10:00:00.000Z', now)).toBe('3 days left');
    expect(timeLeft(at(0), now)).toBe('expired');
  });
});
