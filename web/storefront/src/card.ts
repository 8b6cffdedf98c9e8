/**
 * The card form's rules, checked in the browser before the card goes to the provider (which checks
 * again): a number passing the Luhn check, an expiry not in the past, a security code of the right length.
 */
import type { CardDetails } from './api/card-provider.ts';

export interface CardForm {
  number: string;
  expiry: string;
  cvc: string;
  name: string;
}

export type CardErrors = Partial<Record<keyof CardForm, string>>;

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'jcb' | 'unknown';

export function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

export function brandOf(number: string): CardBrand {
  const digits = digitsOf(number);
  if (/^4/.test(digits)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^35/.test(digits)) return 'jcb';
  return 'unknown';
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** "4242424242424242" → "4242 4242 4242 4242" (amex: 4-6-5), as the person types. */
export function formatCardNumber(text: string): string {
  const digits = digitsOf(text).slice(0, 19);
  const groups = brandOf(digits) === 'amex' ? [4, 6, 5] : [4, 4, 4, 4, 3];
  const parts: string[] = [];
  let at = 0;
  for (const size of groups) {
    if (at >= digits.length) break;
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  return parts.join(' ');
}

/** "1", "12", "123" → "1", "12 / ", "12 / 3": the slash comes by itself. */
export function formatExpiry(text: string, previous: string): string {
  const digits = digitsOf(text).slice(0, 4);
  const deleting = text.length < previous.length;
  if (digits.length < 2) return digits;
  if (digits.length === 2 && deleting) return digits;
  return `${digits.slice(0, 2)} / ${digits.slice(2)}`;
}

export function checkCard(form: CardForm, now: Date): { card?: CardDetails; errors: CardErrors } {
  const errors: CardErrors = {};
  const number = digitsOf(form.number);
  if (number.length < 12 || number.length > 19 || !passesLuhn(number)) {
    errors.number = 'Enter the card number as printed on the card.';
  }
  const expiry = /^(\d{1,2})\s*\/\s*(\d{2})$/.exec(form.expiry.trim());
  const month = Number(expiry?.[1]);
  const year = 2000 + Number(expiry?.[2]);
  if (!expiry || month < 1 || month > 12) errors.expiry = 'Enter the expiry date as MM / YY.';
  else if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1)) {
    errors.expiry = 'This card has expired.';
  }
  const cvcLength = brandOf(number) === 'amex' ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test(form.cvc.trim())) {
    errors.cvc = `Enter the ${cvcLength}-digit security code.`;
  }
  if (Object.keys(errors).length > 0) return { errors };
  const name = form.name.trim();
  return {
    errors,
    card: { number, expMonth: month, expYear: year, cvc: form.cvc.trim(), ...(name ? { name } : {}) },
  };
}
