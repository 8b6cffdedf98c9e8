import { describe, expect, it } from 'vitest';
import { manualClock } from '@talad/core';
import { ShipmentCancellationRefused, ShipmentCancelled } from '@talad/contracts-shipping';
import type { IncomingMessage } from '@talad/messaging';
import { startSnapshot, transition } from '@talad/saga';
import { cancellationSaga, type CancellationData, type CancellationOutcomes } from './cancellation-saga.ts';

const refuse = (): Promise<void> => Promise.reject(new Error('no I/O in a unit test'));
const orders: CancellationOutcomes = { cancelOrder: refuse, refuseCancellation: refuse };
const clock = manualClock(new Date('2026-03-01T10:00:00.000Z'));
const saga = cancellationSaga({ orders, clock });
const data: CancellationData = {
  orderId: '0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e',
  customerId: '0190f5c8-0000-7000-8000-000000000001',
  requestedBy: 'customer',
};
const context = { sagaId: '0190f5c8-0000-7000-8000-00000000c001', now: clock.now() };

function reply(type: string, payload: unknown): IncomingMessage {
  return { type, data: payload } as unknown as IncomingMessage;
}

describe('the cancellation saga', () => {
  it('stops the shipment first, then refunds and returns the stock, each resent until done', () => {
    expect(saga.name).toBe('cancellation');
    expect(saga.version).toBe(1);
    expect(
      saga.steps.map((each) => [each.name, each.command.type, each.success.map((r) => r.type), each.retryUntilDone]),
    ).toEqual([
      ['cancelShipment', 'shipping.CancelShipment.v1', ['shipping.ShipmentCancelled.v1'], true],
      ['refundPayment', 'payment.RefundPayment.v1', ['payment.PaymentRefunded.v1'], true],
      ['returnStock', 'inventory.ReturnStock.v1', ['inventory.StockReturned.v1'], true],
    ]);
    expect(saga.pivot).toBe(0);
    for (const each of saga.steps) {
      expect(each.command.schema.safeParse(each.request(data, context)).success, each.name).toBe(true);
      expect(each.key(data)).toBe(data.orderId);
    }
  });

  it('ends compensated, with nothing to undo, when shipping refuses; the reason names the parcel’s status', () => {
    const refused = reply(ShipmentCancellationRefused.type, { orderId: data.orderId, status: 'in_transit' });
    const next = transition(saga, startSnapshot(saga, data), { kind: 'reply', message: refused });
    expect(next?.ended).toBe('compensated');
    expect(next?.snapshot.reason).toBe('SHIPMENT_IN_TRANSIT');
    expect(next?.snapshot.steps).toEqual(['failed', 'skipped', 'skipped']);
  });

  it('goes on to the refund once the shipment is stopped, and asks shipping again when it does not answer', () => {
    const cancelled = reply(ShipmentCancelled.type, { orderId: data.orderId });
    const next = transition(saga, startSnapshot(saga, data), { kind: 'reply', message: cancelled });
    expect(next?.send).toBe(true);
    expect(next?.snapshot.steps).toEqual(['done', 'running', 'pending']);
    const silent = transition(saga, startSnapshot(saga, data), { kind: 'deadline' });
    expect(silent).toMatchObject({ send: true, ended: undefined, snapshot: { state: 'running', attempt: 2 } });
  });
});
