import { describe, expect, it } from 'vitest';
import { newId } from '@talad/core';
import { orderFacts } from '../testing/order-facts.ts';
import { iso, type HistoryEvent } from './history-event.ts';
import { projectOrder } from './order-projection.ts';

/** A received event as the consumer makes it, with its own id. */
function event(type: HistoryEvent['type'], data: { orderId: string }, time: string): HistoryEvent {
  return { id: newId(), type, orderId: data.orderId, occurredAt: iso(time), data } as HistoryEvent;
}

function journey() {
  const facts = orderFacts();
  const events = [
    event('ordering.OrderPlaced.v1', facts.placed(0), facts.at(0)),
    event('payment.PaymentStatusChanged.v1', facts.payment('pending', 1), facts.at(1)),
    event('payment.PaymentStatusChanged.v1', facts.payment('completed', 30), facts.at(30)),
    event('ordering.OrderApproved.v1', facts.approved(31), facts.at(31)),
    event('shipping.ShipmentStatusChanged.v1', facts.shipment('created', 32), facts.at(32)),
    event('shipping.ShipmentStatusChanged.v1', facts.shipment('dispatched', 60), facts.at(60)),
    event('shipping.ShipmentStatusChanged.v1', facts.shipment('in_transit', 90), facts.at(90)),
    event('shipping.ShipmentStatusChanged.v1', facts.shipment('delivered', 600), facts.at(600)),
  ];
  return { facts, events };
}

/** A fixed pseudo-random shuffle, so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let index = copy.length - 1; index > 0; index--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

describe('order-history projection', () => {
  it('builds the summary with lines, totals, the pay slip and the whole timeline', () => {
    const { facts, events } = journey();
    const summary = projectOrder(events);
    expect(summary).toMatchObject({
      orderId: facts.orderId,
      customerId: facts.customerId,
      status: 'approved',
      stage: 'delivered',
      totals: { total: { amount: 305_000 } },
      payment: { method: 'counter', state: 'completed', slip: { paymentCode: facts.slip.paymentCode } },
      shipment: { status: 'delivered', trackingNumber: 'TH0000000001' },
      placedAt: facts.at(0),
      updatedAt: facts.at(600),
    });
    expect(summary?.lines).toHaveLength(1);
    expect(summary?.timeline.map((entry) => entry.step)).toEqual([
      'placed',
      'payment_pending',
      'paid',
      'approved',
      'shipment_created',
      'dispatched',
      'in_transit',
      'delivered',
    ]);
  });

  it('gives the same summary whatever order the events arrive in, and however often each is replayed', () => {
    const { events } = journey();
    const expected = projectOrder(events);
    for (let seed = 1; seed <= 50; seed++) {
      const replayed = shuffled([...events, ...events.slice(seed % events.length), ...events], seed);
      expect(projectOrder(replayed)).toEqual(expected);
    }
  });

  it('is nothing until OrderPlaced arrives, then folds in what came before it', () => {
    const { events } = journey();
    const withoutPlaced = events.filter((candidate) => candidate.type !== 'ordering.OrderPlaced.v1');
    expect(projectOrder(withoutPlaced)).toBeNull();
    expect(projectOrder([...withoutPlaced, events[0]!])).toEqual(projectOrder(events));
  });

  it('shows a counter order waiting for its slip, then cancelled when it expired', () => {
    const facts = orderFacts();
    const placed = event('ordering.OrderPlaced.v1', facts.placed(0), facts.at(0));
    const pending = event('payment.PaymentStatusChanged.v1', facts.payment('pending', 1), facts.at(1));
    expect(projectOrder([placed, pending])).toMatchObject({ status: 'pending', stage: 'awaiting_payment' });
    const expired = event('payment.PaymentStatusChanged.v1', facts.payment('expired', 2880), facts.at(2880));
    const cancelled = event('ordering.OrderCancelled.v1', facts.cancelled(2881), facts.at(2881));
    const summary = projectOrder([cancelled, expired, pending, placed]);
    expect(summary).toMatchObject({ status: 'cancelled', stage: 'cancelled', payment: { state: 'expired' } });
    expect(summary?.timeline.map((entry) => entry.step)).toEqual([
      'placed',
      'payment_pending',
      'payment_expired',
      'cancelled',
    ]);
  });

  it('keeps the rejection reason and never shows a card payment as waiting', () => {
    const facts = orderFacts();
    const summary = projectOrder([
      event('ordering.OrderPlaced.v1', facts.placed(0), facts.at(0)),
      event('payment.PaymentStatusChanged.v1', facts.payment('pending', 1, 'card'), facts.at(1)),
      event('ordering.OrderRejected.v1', facts.rejected(2), facts.at(2)),
    ]);
    expect(summary).toMatchObject({
      status: 'rejected',
      rejectionReason: 'OUT_OF_STOCK',
      payment: { card: { last4: '4242' } },
    });
    expect(summary?.timeline.map((entry) => entry.step)).toEqual(['placed', 'rejected']);
  });
});
