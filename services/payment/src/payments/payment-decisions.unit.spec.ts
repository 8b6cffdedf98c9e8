import { describe, expect, it } from 'vitest';
import { answerFor, declineReasonOf, planFor } from './payment-decisions.ts';
import type { Payment, PaymentState } from './payment.ts';

const amount = { amount: 129_900, currency: 'THB' as const };
const payment = (state: PaymentState, overrides: Partial<Payment> = {}): Payment => ({
  id: '01900000-0000-7000-8000-000000000001',
  orderId: '01900000-0000-7000-8000-0000000000aa',
  customerId: null,
  state,
  amount: state === 'closed' ? null : amount,
  cardToken: null,
  brand: 'visa',
  last4: '4242',
  providerAuthorizationId: state === 'closed' ? null : 'auth_1',
  declineReason: state === 'declined' ? 'INSUFFICIENT_FUNDS' : null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  authorizedAt: null,
  capturedAt: null,
  voidedAt: null,
  refundedAt: null,
  method: 'card',
  slip: null,
  completedAt: null,
  expiredAt: null,
  ...overrides,
});

describe('what a payment command takes', () => {
  it('authorizes at the provider only when the order has no payment yet', () => {
    expect(planFor('authorize', null)).toEqual({ kind: 'authorize' });
    for (const state of ['authorized', 'declined', 'captured', 'voided', 'refunded'] as const) {
      expect(planFor('authorize', state)).toEqual({ kind: 'answer' });
    }
  });

  it('declines an authorization that comes after its own compensation, checking the provider holds nothing', () => {
    expect(planFor('authorize', 'closed')).toEqual({ kind: 'close' });
    expect(answerFor('authorize', payment('closed'))).toMatchObject({ kind: 'declined', reason: 'DECLINED' });
  });

  it('captures an authorized payment once and refuses to capture one that was never authorized', () => {
    expect(planFor('capture', 'authorized')).toEqual({ kind: 'provider', action: 'capture', to: 'captured' });
    expect(planFor('capture', 'captured')).toEqual({ kind: 'answer' });
    expect(planFor('capture', null).kind).toBe('impossible');
    expect(planFor('capture', 'declined').kind).toBe('impossible');
    expect(planFor('capture', 'voided').kind).toBe('impossible');
  });

  it('undoes whatever was done: void voids or refunds, refund refunds or voids', () => {
    expect(planFor('void', 'authorized')).toEqual({ kind: 'provider', action: 'void', to: 'voided' });
    expect(planFor('void', 'captured')).toEqual({ kind: 'provider', action: 'refund', to: 'refunded' });
    expect(planFor('refund', 'captured')).toEqual({ kind: 'provider', action: 'refund', to: 'refunded' });
    expect(planFor('refund', 'authorized')).toEqual({ kind: 'provider', action: 'void', to: 'voided' });
  });

  it('succeeds with nothing to undo, leaving a tombstone when there was no payment', () => {
    expect(planFor('void', null)).toEqual({ kind: 'close' });
    expect(planFor('refund', null)).toEqual({ kind: 'close' });
    for (const state of ['declined', 'voided', 'refunded', 'closed'] as const) {
      expect(planFor('void', state)).toEqual({ kind: 'answer' });
      expect(planFor('refund', state)).toEqual({ kind: 'answer' });
    }
    expect(answerFor('void', payment('closed'))).toEqual({ kind: 'voided', paymentId: undefined });
    expect(answerFor('void', payment('declined'))).toEqual({ kind: 'voided', paymentId: undefined });
    expect(answerFor('refund', payment('closed'))).toEqual({
      kind: 'refunded',
      paymentId: undefined,
      amount: { amount: 0, currency: 'THB' },
    });
  });

  it('answers a duplicate from the stored payment', () => {
    const authorized = payment('captured');
    expect(answerFor('authorize', authorized)).toEqual({
      kind: 'authorized',
      paymentId: authorized.id,
      amount,
      brand: 'visa',
      last4: '4242',
    });
    expect(answerFor('authorize', payment('declined'))).toMatchObject({
      kind: 'declined',
      reason: 'INSUFFICIENT_FUNDS',
    });
    expect(answerFor('capture', authorized)).toEqual({ kind: 'captured', paymentId: authorized.id, amount });
    expect(answerFor('void', payment('voided'))).toEqual({ kind: 'voided', paymentId: authorized.id });
    expect(answerFor('refund', payment('refunded'))).toEqual({ kind: 'refunded', paymentId: authorized.id, amount });
  });

  it("names the provider's decline codes in the contract's words", () => {
    expect(declineReasonOf('insufficient_funds')).toBe('INSUFFICIENT_FUNDS');
    expect(declineReasonOf('processing_error')).toBe('PROCESSING_ERROR');
    expect(declineReasonOf('card_declined')).toBe('DECLINED');
    expect(declineReasonOf('something_new')).toBe('DECLINED');
  });
});

describe('what a command takes for a payment at a counter', () => {
  const slip = { invoiceNumber: 'INV-2026-000001', paymentCode: '482019374650121', expiresAt: new Date(0) };
  const counter = (state: PaymentState) =>
    payment(state, { method: 'counter', slip, brand: null, last4: null, providerAuthorizationId: null });

  it('issues a slip instead of asking the provider, and answers a duplicate with the same slip', () => {
    expect(planFor('authorize', null, 'counter')).toEqual({ kind: 'issue-slip' });
    expect(planFor('authorize', 'pending', 'counter')).toEqual({ kind: 'answer' });
    for (const state of ['pending', 'completed', 'expired', 'voided'] as const) {
      expect(answerFor('authorize', counter(state))).toMatchObject({ kind: 'pending', slip, amount });
    }
  });

  it('captures a completed slip without doing anything, and refuses to capture an unpaid one', () => {
    expect(planFor('capture', 'completed')).toEqual({ kind: 'answer' });
    expect(answerFor('capture', counter('completed'))).toMatchObject({ kind: 'captured', amount });
    expect(planFor('capture', 'pending')).toMatchObject({ kind: 'impossible' });
    expect(planFor('capture', 'expired')).toMatchObject({ kind: 'impossible' });
  });

  it('cancels a pending slip on void or refund, refunds a completed one, and has nothing to undo after expiry', () => {
    expect(planFor('void', 'pending')).toEqual({ kind: 'local', to: 'voided' });
    expect(planFor('refund', 'pending')).toEqual({ kind: 'local', to: 'voided' });
    expect(planFor('void', 'completed')).toEqual({ kind: 'local', to: 'refunded' });
    expect(planFor('refund', 'completed')).toEqual({ kind: 'local', to: 'refunded' });
    expect(planFor('void', 'expired')).toEqual({ kind: 'answer' });
    expect(answerFor('void', counter('expired'))).toEqual({ kind: 'voided', paymentId: undefined });
    expect(answerFor('void', counter('voided'))).toMatchObject({ kind: 'voided', paymentId: expect.any(String) });
    expect(answerFor('refund', counter('refunded'))).toMatchObject({ kind: 'refunded', amount });
    expect(answerFor('refund', counter('voided'))).toMatchObject({ kind: 'refunded', amount: { amount: 0 } });
  });
});
