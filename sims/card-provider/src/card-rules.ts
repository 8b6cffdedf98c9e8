/**
 * The card rules of the simulated processor, as plain functions: number checks (Luhn), brands,
 * expiry, and what each test card number does when it is authorized. No I/O, no clock of its own.
 */

/** Card numbers with a fixed behaviour, as real processors publish for their test mode. */
export const TEST_CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  processingError: '4000000000000119',
  /** Authorized, but only after `slowCardDelayMs`: a processor that is slow for one request. */
  slow: '4000000000000259',
} as const;

export const DECLINE_CODES = ['card_declined', 'insufficient_funds', 'processing_error'] as const;
export type DeclineCode = (typeof DECLINE_CODES)[number];

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'jcb' | 'unionpay' | 'unknown';

/** What happens when a card is authorized: every valid number not listed in TEST_CARDS is approved. */
export type CardBehaviour =
  { kind: 'approve' } | { kind: 'approve-slowly' } | { kind: 'decline'; declineCode: DeclineCode };

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export interface Card {
  /** Digits only. */
  number: string;
  brand: CardBrand;
  last4: string;
  expMonth: number;
  /** Four digits. */
  expYear: number;
}

export type CardCheck =
  | { ok: true; card: Card }
  | { ok: false; problem: 'invalid-number' | 'invalid-expiry' | 'expired' | 'invalid-cvc'; message: string };

/** Spaces and dashes are how people type card numbers; anything else makes the number invalid. */
export function normalizeCardNumber(number: string): string {
  return number.replace(/[\s-]/g, '');
}

/** The Luhn (mod 10) check digit test every payment card number passes. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The card network, from the number's leading digits (IIN ranges). */
export function brandOf(digits: string): CardBrand {
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits.startsWith('4')) return 'visa';
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
  if (two === 34 || two === 37) return 'amex';
  if (four >= 3528 && four <= 3589) return 'jcb';
  if (two === 62) return 'unionpay';
  return 'unknown';
}

/**
 * Validates a card as the tokenization endpoint receives it. A card is usable through the last day of
 * its expiry month; a two-digit year means 20YY.
 *
 * @example
 * checkCard({ number: '4242 4242 4242 4242', expMonth: 12, expYear: 2030, cvc: '123' }, now);
 * // { ok: true, card: { number: '4242424242424242', brand: 'visa', last4: '4242', ... } }
 */
export function checkCard(input: CardInput, now: Date): CardCheck {
  const number = normalizeCardNumber(input.number);
  if (!/^\d{12,19}$/.test(number) || !passesLuhn(number)) {
    return { ok: false, problem: 'invalid-number', message: 'the card number is not a valid card number' };
  }
  const expYear = input.expYear < 100 ? 2000 + input.expYear : input.expYear;
  if (!Number.isInteger(input.expMonth) || input.expMonth < 1 || input.expMonth > 12 || expYear > 2200) {
    return {
      ok: false,
      problem: 'invalid-expiry',
      message: 'the expiry month must be 1 to 12 and the year a real year',
    };
  }
  const firstDayAfterExpiry = Date.UTC(expYear, input.expMonth, 1);
  if (now.getTime() >= firstDayAfterExpiry) {
    return { ok: false, problem: 'expired', message: 'the card has expired' };
  }
  const brand = brandOf(number);
  const cvcLength = brand === 'amex' ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test(input.cvc)) {
    return { ok: false, problem: 'invalid-cvc', message: `the security code must be ${cvcLength} digits` };
  }
  return { ok: true, card: { number, brand, last4: number.slice(-4), expMonth: input.expMonth, expYear } };
}

/** What authorizing this card does. */
export function behaviourOf(number: string): CardBehaviour {
  switch (number) {
    case TEST_CARDS.declined:
      return { kind: 'decline', declineCode: 'card_declined' };
    case TEST_CARDS.insufficientFunds:
      return { kind: 'decline', declineCode: 'insufficient_funds' };
    case TEST_CARDS.processingError:
      return { kind: 'decline', declineCode: 'processing_error' };
    case TEST_CARDS.slow:
      return { kind: 'approve-slowly' };
    default:
      return { kind: 'approve' };
  }
}

export const AUTHORIZATION_STATUSES = ['authorized', 'declined', 'captured', 'voided', 'refunded'] as const;
export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];
export type AuthorizationAction = 'capture' | 'void' | 'refund';

/**
 * The life of an authorization: only an authorized one can be captured or voided; only a captured one
 * can be refunded. Anything else is a conflict (null): a void after capture is refused, as at a real
 * processor, because the money has already moved.
 */
export function nextStatus(status: AuthorizationStatus, action: AuthorizationAction): AuthorizationStatus | null {
  if (action === 'capture') return status === 'authorized' ? 'captured' : null;
  if (action === 'void') return status === 'authorized' ? 'voided' : null;
  return status === 'captured' ? 'refunded' : null;
}
