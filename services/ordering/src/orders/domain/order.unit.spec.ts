import { describe, expect, it } from 'vitest';
import { isDomainError } from '@talad/core';
import { decide } from './decide.ts';
import { fold } from './evolve.ts';
import type { OrderCommand, OrderEvent } from './order.ts';
import { sampleOrderDetails } from '../../testing/order-details.ts';

/** given(events).when(command).then(events) — or .thenRefuses(code). No I/O, no mocks. */
function given(...history: OrderEvent[]) {
  return {
    when: (command: OrderCommand) => ({
      then: (...expected: OrderEvent[]) => expect(decide(command, fold(history))).toEqual(expected),
      thenRefuses: (code: string) => {
        let refusal: unknown;
        try {
          decide(command, fold(history));
        } catch (error) {
          refusal = error;
        }
        expect(isDomainError(refusal) ? refusal.code : refusal).toBe(code);
      },
    }),
  };
}

const details = sampleOrderDetails({ quantity: 2, paymentMethod: 'card' });

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';
const placed: OrderEvent = { type: 'OrderPlaced', data: { ...details, placedAt: T0 } };
const approved: OrderEvent = { type: 'OrderApproved', data: { approvedAt: T1 } };
const rejected: OrderEvent = { type: 'OrderRejected', data: { reason: 'OUT_OF_STOCK', rejectedAt: T1 } };
const cancelled: OrderEvent = { type: 'OrderCancelled', data: { cancelledBy: 'customer', cancelledAt: T1 } };
const cancellationRequested: OrderEvent = {
  type: 'CancellationRequested',
  data: { requestedBy: 'customer', requestedAt: T1 },
};

describe('placing an order', () => {
  it('records OrderPlaced for a new order', () => {
    given().when({ type: 'PlaceOrder', order: details, at: T0 }).then(placed);
  });

  it('refuses to place an order twice', () => {
    given(placed).when({ type: 'PlaceOrder', order: details, at: T1 }).thenRefuses('ORDERING_ORDER_ALREADY_PLACED');
  });

  it('refuses any other command for an order that does not exist', () => {
    given().when({ type: 'ApproveOrder', at: T1 }).thenRefuses('ORDERING_ORDER_NOT_FOUND');
  });
});

describe('the checkout outcome', () => {
  it('approves a pending order, once', () => {
    given(placed).when({ type: 'ApproveOrder', at: T1 }).then(approved);
    given(placed, approved).when({ type: 'ApproveOrder', at: T1 }).then();
  });

  it('rejects a pending order with its reason, once', () => {
    given(placed).when({ type: 'RejectOrder', reason: 'OUT_OF_STOCK', at: T1 }).then(rejected);
    given(placed, rejected).when({ type: 'RejectOrder', reason: 'OUT_OF_STOCK', at: T1 }).then();
  });

  it('never approves a rejected or cancelled order, nor rejects an approved one', () => {
    given(placed, rejected).when({ type: 'ApproveOrder', at: T1 }).thenRefuses('ORDERING_ORDER_NOT_PENDING');
    given(placed, cancelled).when({ type: 'ApproveOrder', at: T1 }).thenRefuses('ORDERING_ORDER_NOT_PENDING');
    given(placed, approved)
      .when({ type: 'RejectOrder', reason: 'PAYMENT_DECLINED', at: T1 })
      .thenRefuses('ORDERING_ORDER_NOT_PENDING');
  });

  it('records the authorized card of a pending order, once', () => {
    const authorized: OrderEvent = {
      type: 'PaymentAuthorized',
      data: { brand: 'visa', last4: '4242', authorizedAt: T1 },
    };
    given(placed).when({ type: 'RecordPaymentAuthorization', brand: 'visa', last4: '4242', at: T1 }).then(authorized);
    given(placed, authorized).when({ type: 'RecordPaymentAuthorization', brand: 'visa', last4: '4242', at: T1 }).then();
  });
});

describe('cancelling', () => {
  it('records a cancellation request on a pending order, once', () => {
    given(placed).when({ type: 'RequestCancellation', by: 'customer', at: T1 }).then(cancellationRequested);
    given(placed, cancellationRequested).when({ type: 'RequestCancellation', by: 'customer', at: T1 }).then();
  });

  it('cancels a pending order, once', () => {
    given(placed, cancellationRequested).when({ type: 'CancelOrder', by: 'customer', at: T1 }).then(cancelled);
    given(placed, cancelled).when({ type: 'CancelOrder', by: 'customer', at: T1 }).then();
  });

  it('cancels a pending order whose pay slip expired as the system, with the reason, and keeps why', () => {
    const calledOff: OrderEvent = {
      type: 'OrderCancelled',
      data: { cancelledBy: 'system', cancelledAt: T1, reason: 'PAYMENT_EXPIRED' },
    };
    given(placed).when({ type: 'CancelOrder', by: 'system', at: T1, reason: 'PAYMENT_EXPIRED' }).then(calledOff);
    expect(fold([placed, calledOff])).toMatchObject({
      status: 'cancelled',
      cancellationRequested: { by: 'system', at: T1, reason: 'PAYMENT_EXPIRED' },
    });
    // A customer's cancellation carries no reason, and keeps their request as it was.
    expect(fold([placed, cancellationRequested, cancelled])?.cancellationRequested).not.toHaveProperty('reason');
  });

  it('refuses to cancel an approved or rejected order', () => {
    given(placed, approved)
      .when({ type: 'RequestCancellation', by: 'customer', at: T1 })
      .thenRefuses('ORDERING_ORDER_NOT_CANCELLABLE');
    given(placed, approved)
      .when({ type: 'CancelOrder', by: 'system', at: T1 })
      .thenRefuses('ORDERING_ORDER_NOT_CANCELLABLE');
    given(placed, rejected)
      .when({ type: 'RequestCancellation', by: 'customer', at: T1 })
      .thenRefuses('ORDERING_ORDER_NOT_CANCELLABLE');
  });
});

describe('cancelling an approved order', () => {
  const SAGA = '0190f5c8-0000-7000-8000-00000000c001';
  const T2 = '2026-01-01T00:02:00.000Z';
  const started: OrderEvent = {
    type: 'CancellationStarted',
    data: { sagaId: SAGA, requestedBy: 'customer', requestedAt: T1 },
  };
  const shipped: OrderEvent = { type: 'OrderShipped', data: { trackingNumber: 'TH0000000000018', shippedAt: T1 } };
  const refusedEvent: OrderEvent = {
    type: 'CancellationRefused',
    data: { reason: 'SHIPMENT_DISPATCHED', refusedAt: T2 },
  };

  it('starts the cancellation saga once while it runs', () => {
    given(placed, approved).when({ type: 'StartCancellation', sagaId: SAGA, by: 'customer', at: T1 }).then(started);
    given(placed, approved, started)
      .when({ type: 'StartCancellation', sagaId: 'another', by: 'customer', at: T2 })
      .then();
  });

  it('refuses once ordering knows the parcel was dispatched, and for pending or rejected orders', () => {
    given(placed, approved, shipped)
      .when({ type: 'StartCancellation', sagaId: SAGA, by: 'customer', at: T2 })
      .thenRefuses('ORDERING_ORDER_ALREADY_DISPATCHED');
    given(placed)
      .when({ type: 'StartCancellation', sagaId: SAGA, by: 'customer', at: T1 })
      .thenRefuses('ORDERING_ORDER_NOT_CANCELLABLE');
    given(placed, rejected)
      .when({ type: 'StartCancellation', sagaId: SAGA, by: 'customer', at: T1 })
      .thenRefuses('ORDERING_ORDER_NOT_CANCELLABLE');
  });

  it('cancels the approved order only while its cancellation runs, once', () => {
    const cancelledAfter: OrderEvent = { type: 'OrderCancelled', data: { cancelledBy: 'customer', cancelledAt: T2 } };
    given(placed, approved, started).when({ type: 'CancelOrder', by: 'customer', at: T2 }).then(cancelledAfter);
    given(placed, approved, started, cancelledAfter).when({ type: 'CancelOrder', by: 'customer', at: T2 }).then();
    given(placed, approved, started, refusedEvent)
      .when({ type: 'CancelOrder', by: 'customer', at: T2 })
      .thenRefuses('ORDERING_ORDER_NOT_CANCELLABLE');
    expect(fold([placed, approved, started, cancelledAfter])).toMatchObject({
      status: 'cancelled',
      cancellation: { state: 'running', sagaId: SAGA },
    });
  });

  it('records a refusal once; the order stays approved and may be asked again', () => {
    given(placed, approved, started)
      .when({ type: 'RefuseCancellation', reason: 'SHIPMENT_DISPATCHED', at: T2 })
      .then(refusedEvent);
    given(placed, approved, started, refusedEvent)
      .when({ type: 'RefuseCancellation', reason: 'SHIPMENT_DISPATCHED', at: T2 })
      .then();
    expect(fold([placed, approved, started, refusedEvent])).toMatchObject({
      status: 'approved',
      cancellation: { state: 'refused', reason: 'SHIPMENT_DISPATCHED', by: 'customer', at: T1 },
    });
    given(placed, approved, started, refusedEvent)
      .when({ type: 'StartCancellation', sagaId: 'again', by: 'customer', at: T2 })
      .then({ type: 'CancellationStarted', data: { sagaId: 'again', requestedBy: 'customer', requestedAt: T2 } });
  });
});

describe('fulfilment', () => {
  const TRACKING = 'TH0000000000018';
  const T2 = '2026-01-01T00:02:00.000Z';
  const shipped: OrderEvent = { type: 'OrderShipped', data: { trackingNumber: TRACKING, shippedAt: T1 } };
  const delivered: OrderEvent = { type: 'OrderDelivered', data: { deliveredAt: T2 } };

  it('records shipped, then delivered, each once', () => {
    given(placed, approved).when({ type: 'RecordShipment', trackingNumber: TRACKING, at: T1 }).then(shipped);
    given(placed, approved, shipped).when({ type: 'RecordShipment', trackingNumber: TRACKING, at: T2 }).then();
    given(placed, approved, shipped).when({ type: 'RecordDelivery', trackingNumber: TRACKING, at: T2 }).then(delivered);
    given(placed, approved, shipped, delivered)
      .when({ type: 'RecordDelivery', trackingNumber: TRACKING, at: T2 })
      .then();
    given(placed, approved, shipped, delivered)
      .when({ type: 'RecordShipment', trackingNumber: TRACKING, at: T2 })
      .then();
  });

  it('records the shipment too when the delivery comes first', () => {
    given(placed, approved)
      .when({ type: 'RecordDelivery', trackingNumber: TRACKING, at: T2 })
      .then({ type: 'OrderShipped', data: { trackingNumber: TRACKING, shippedAt: T2 } }, delivered);
  });

  it('ignores news about orders that are not approved', () => {
    given(placed).when({ type: 'RecordShipment', trackingNumber: TRACKING, at: T1 }).then();
    given(placed, cancelled).when({ type: 'RecordDelivery', trackingNumber: TRACKING, at: T1 }).then();
  });

  it('folds to the parcel’s status with its tracking number, the order still approved', () => {
    expect(fold([placed, approved, shipped, delivered])).toMatchObject({
      status: 'approved',
      fulfilment: { status: 'delivered', trackingNumber: TRACKING, shippedAt: T1, deliveredAt: T2 },
      updatedAt: T2,
    });
  });
});

describe('the state the events add up to', () => {
  it('is pending with the placed details, then shows the card, then the outcome', () => {
    const authorized: OrderEvent = {
      type: 'PaymentAuthorized',
      data: { brand: 'visa', last4: '4242', authorizedAt: T1 },
    };
    expect(fold([placed])).toMatchObject({ status: 'pending', orderId: details.orderId, updatedAt: T0 });
    expect(fold([placed, authorized])).toMatchObject({ payment: { brand: 'visa', last4: '4242' }, updatedAt: T1 });
    expect(fold([placed, rejected])).toMatchObject({ status: 'rejected', rejectionReason: 'OUT_OF_STOCK' });
    expect(fold([placed, cancellationRequested, cancelled])).toMatchObject({
      status: 'cancelled',
      cancellationRequested: { by: 'customer', at: T1 },
    });
  });
});
