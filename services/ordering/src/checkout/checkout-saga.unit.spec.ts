import { describe, expect, it } from 'vitest';
import { manualClock } from '@talad/core';
import type { AuthorizePayment } from '@talad/contracts-payment';
import { PaymentAuthorized } from '@talad/contracts-payment';
import type { IncomingMessage } from '@talad/messaging';
import { startSnapshot, transition, type SagaSnapshot } from '@talad/saga';
import type { CheckoutRuntime, CheckoutWiring } from '../app.ts';
import { checkoutSaga, type CheckoutData, type OrderOutcomes } from './checkout-saga.ts';
import { createCheckout } from './create-checkout.ts';
import { rejectionReasonOf } from './rejection-reason.ts';

// The app builds its checkout through this seam: a mismatch fails the typecheck.
const fitsTheApp: (wiring: CheckoutWiring) => CheckoutRuntime = createCheckout;

const refuse = (): Promise<void> => Promise.reject(new Error('no I/O in a unit test'));
const orders: OrderOutcomes = {
  approveOrder: refuse,
  cancelOrder: refuse,
  closeCompensatedOrder: refuse,
  recordPaymentAuthorized: refuse,
  recordPaySlip: refuse,
};
const clock = manualClock(new Date('2026-03-01T10:00:00.000Z'));
const saga = checkoutSaga({ orders, clock });
const data: CheckoutData = {
  orderId: '0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e',
  customerId: '0190f5c8-0000-7000-8000-000000000001',
  lines: [{ productId: '0190f5c8-0000-7000-8000-0000000000aa', quantity: 2 }],
  total: { amount: 258_000, currency: 'THB' },
  paymentMethod: { type: 'card', cardToken: 'tok_visa_4242' },
};
const context = { sagaId: data.orderId, now: clock.now() };

describe('the checkout saga', () => {
  it('is wired as the app expects', () => {
    expect(typeof fitsTheApp).toBe('function');
  });

  it('declares its steps in order, each with its command, replies and compensation', () => {
    expect(saga.name).toBe('checkout');
    expect(
      saga.steps.map((each) => ({
        name: each.name,
        command: each.command.type,
        success: each.success.map((reply) => reply.type),
        failure: each.failure.map((reply) => reply.type),
        compensation: each.compensation
          ? [each.compensation.command.type, ...each.compensation.success.map((r) => r.type)]
          : [],
        retryUntilDone: each.retryUntilDone,
      })),
    ).toEqual([
      {
        name: 'verifyCustomer',
        command: 'identity.VerifyCustomer.v1',
        success: ['identity.CustomerVerified.v1'],
        failure: ['identity.CustomerVerificationFailed.v1'],
        compensation: [],
        retryUntilDone: false,
      },
      {
        name: 'reserveStock',
        command: 'inventory.ReserveStock.v1',
        success: ['inventory.StockReserved.v1'],
        failure: ['inventory.StockReservationFailed.v1'],
        compensation: ['inventory.ReleaseStock.v1', 'inventory.StockReleased.v1'],
        retryUntilDone: false,
      },
      {
        name: 'authorizePayment',
        command: 'payment.AuthorizePayment.v1',
        success: ['payment.PaymentAuthorized.v1'],
        failure: ['payment.PaymentDeclined.v1'],
        compensation: ['payment.VoidPayment.v1', 'payment.PaymentVoided.v1'],
        retryUntilDone: false,
      },
      {
        name: 'commitReservation',
        command: 'inventory.CommitReservation.v1',
        success: ['inventory.ReservationCommitted.v1'],
        failure: ['inventory.ReservationCommitFailed.v1'],
        compensation: [],
        retryUntilDone: true,
      },
      {
        name: 'capturePayment',
        command: 'payment.CapturePayment.v1',
        success: ['payment.PaymentCaptured.v1'],
        failure: [],
        compensation: [],
        retryUntilDone: true,
      },
    ]);
    expect(saga.steps[saga.pivot]?.name).toBe('commitReservation');
  });

  it('builds commands their schemas accept, keyed by the order', () => {
    for (const each of saga.steps) {
      expect(each.command.schema.safeParse(each.request(data, context)).success, each.name).toBe(true);
      expect(each.key(data)).toBe(data.orderId);
      const compensation = each.compensation;
      if (compensation)
        expect(compensation.command.schema.safeParse(compensation.request(data, context)).success).toBe(true);
    }
    const reserve = saga.steps[1]?.request(data, context);
    expect(reserve).toEqual({ orderId: data.orderId, lines: data.lines, expiresAt: '2026-03-01T10:15:00.000Z' });
    expect(saga.steps[2]?.request(data, context)).toEqual({
      orderId: data.orderId,
      customerId: data.customerId,
      amount: data.total,
      method: data.paymentMethod,
    } satisfies Parameters<typeof AuthorizePayment.schema.parse>[0]);
  });

  it('keeps the card brand and last digits from the authorization', () => {
    const authorized = PaymentAuthorized.schema.parse({
      orderId: data.orderId,
      paymentId: '0190f5c8-0000-7000-8000-0000000000bb',
      amount: data.total,
      brand: 'visa',
      last4: '4242',
    });
    const reply = { type: PaymentAuthorized.type, data: authorized } as unknown as IncomingMessage;
    const atPayment: SagaSnapshot<CheckoutData> = {
      ...startSnapshot(saga, data),
      steps: ['done', 'done', 'running', 'pending', 'pending'],
      cursor: 2,
    };
    const next = transition(saga, atPayment, { kind: 'reply', message: reply });
    expect(next?.snapshot.data.payment).toEqual({ paymentId: authorized.paymentId, brand: 'visa', last4: '4242' });
    expect(next?.snapshot.steps[3]).toBe('running');
  });

  it('rejects orders for reasons ordering publishes', () => {
    expect(rejectionReasonOf('CUSTOMER_DISABLED')).toBe('CUSTOMER_DISABLED');
    expect(rejectionReasonOf('OUT_OF_STOCK')).toBe('OUT_OF_STOCK');
    expect(rejectionReasonOf('DECLINED')).toBe('PAYMENT_DECLINED');
    expect(rejectionReasonOf('INSUFFICIENT_FUNDS')).toBe('INSUFFICIENT_FUNDS');
    expect(rejectionReasonOf('PROCESSING_ERROR')).toBe('PAYMENT_PROCESSING_ERROR');
    expect(rejectionReasonOf('RESERVATION_EXPIRED')).toBe('RESERVATION_EXPIRED');
    expect(rejectionReasonOf('STEP_TIMED_OUT')).toBe('STEP_TIMED_OUT');
    expect(rejectionReasonOf('SOMETHING_NEW')).toBe('STEP_TIMED_OUT');
  });
});
