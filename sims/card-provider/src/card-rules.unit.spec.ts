import { describe, expect, it } from 'vitest';
import { behaviourOf, brandOf, checkCard, nextStatus, passesLuhn, TEST_CARDS } from './card-rules.ts';
import { createIdempotencyStore } from './idempotency.ts';

const now = new Date('2026-03-15T12:00:00Z');
const card = (number: string, overrides: Partial<{ expMonth: number; expYear: number; cvc: string }> = {}) =>
  checkCard({ number, expMonth: 12, expYear: 2030, cvc: '123', ...overrides }, now);

describe('card rules', () => {
  it('accepts numbers that pass the Luhn check and refuses those that do not', () => {
    for (const number of Object.values(TEST_CARDS)) expect(passesLuhn(number)).toBe(true);
    expect(passesLuhn('4242424242424241')).toBe(false);
    expect(passesLuhn('42424242424242a2')).toBe(false);
  });

  it('tokenizes a valid card with spaces, keeping only its brand and last four digits visible', () => {
    expect(card('4242 4242-4242 4242')).toEqual({
      ok: true,
      card: { number: '4242424242424242', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 },
    });
  });

  it('refuses a bad number, a bad expiry, an expired card and a short security code, each with its reason', () => {
    expect(card('4242424242424241')).toMatchObject({ ok: false, problem: 'invalid-number' });
    expect(card('4242')).toMatchObject({ ok: false, problem: 'invalid-number' });
    expect(card(TEST_CARDS.success, { expMonth: 13 })).toMatchObject({ ok: false, problem: 'invalid-expiry' });
    expect(card(TEST_CARDS.success, { expMonth: 2, expYear: 2026 })).toMatchObject({ ok: false, problem: 'expired' });
    expect(card(TEST_CARDS.success, { cvc: '12' })).toMatchObject({ ok: false, problem: 'invalid-cvc' });
  });

  it('keeps a card usable to the end of its expiry month and reads a two-digit year as 20YY', () => {
    expect(card(TEST_CARDS.success, { expMonth: 3, expYear: 2026 }).ok).toBe(true);
    expect(card(TEST_CARDS.success, { expMonth: 3, expYear: 26 })).toMatchObject({ ok: true, card: { expYear: 2026 } });
  });

  it('asks four digits of security code for amex and tells the brands apart', () => {
    expect(card('378282246310005', { cvc: '123' })).toMatchObject({ ok: false, problem: 'invalid-cvc' });
    expect(card('378282246310005', { cvc: '1234' })).toMatchObject({ ok: true, card: { brand: 'amex' } });
    expect(brandOf('5555555555554444')).toBe('mastercard');
    expect(brandOf('2223003122003222')).toBe('mastercard');
    expect(brandOf('3530111333300000')).toBe('jcb');
    expect(brandOf('6200000000000005')).toBe('unionpay');
  });

  it('gives every test card its published outcome, and approves any other valid card', () => {
    expect(behaviourOf(TEST_CARDS.success)).toEqual({ kind: 'approve' });
    expect(behaviourOf(TEST_CARDS.declined)).toEqual({ kind: 'decline', declineCode: 'card_declined' });
    expect(behaviourOf(TEST_CARDS.insufficientFunds)).toEqual({ kind: 'decline', declineCode: 'insufficient_funds' });
    expect(behaviourOf(TEST_CARDS.processingError)).toEqual({ kind: 'decline', declineCode: 'processing_error' });
    expect(behaviourOf(TEST_CARDS.slow)).toEqual({ kind: 'approve-slowly' });
    expect(behaviourOf('5555555555554444')).toEqual({ kind: 'approve' });
  });

  it('captures or voids only an authorized amount and refunds only a captured one', () => {
    expect(nextStatus('authorized', 'capture')).toBe('captured');
    expect(nextStatus('authorized', 'void')).toBe('voided');
    expect(nextStatus('captured', 'refund')).toBe('refunded');
    expect(nextStatus('captured', 'void')).toBeNull();
    expect(nextStatus('authorized', 'refund')).toBeNull();
    expect(nextStatus('declined', 'capture')).toBeNull();
    expect(nextStatus('voided', 'capture')).toBeNull();
    expect(nextStatus('refunded', 'refund')).toBeNull();
  });
});

describe('idempotency keys', () => {
  it('lets the first request act, replays its answer, refuses another request or one still running', () => {
    const keys = createIdempotencyStore();
    expect(keys.claim('k', 'capture auth_1')).toEqual({ kind: 'new' });
    expect(keys.claim('k', 'capture auth_1')).toEqual({ kind: 'in-progress' });
    keys.complete('k', { status: 200, body: { id: 'auth_1' } });
    expect(keys.claim('k', 'capture auth_1')).toEqual({
      kind: 'replay',
      response: { status: 200, body: { id: 'auth_1' } },
    });
    expect(keys.claim('k', 'capture auth_2')).toEqual({ kind: 'mismatch' });
  });

  it('frees a key whose request did nothing, so a retry acts', () => {
    const keys = createIdempotencyStore();
    keys.claim('k', 'f');
    keys.release('k');
    expect(keys.claim('k', 'f')).toEqual({ kind: 'new' });
  });
});
