import { randomInt } from 'node:crypto';

/**
 * A slip's payment code: fifteen digits, the last a Luhn check digit over the first fourteen, so a
 * mistyped digit or two swapped neighbours at a counter are caught before anyone looks it up.
 */
export const PAYMENT_CODE_LENGTH = 15;

/** The Luhn check digit of `digits`: the one that makes `digits + check` pass the Luhn test. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    // Counted from the right of the finished code, where the check digit is position 1: double the odd ones here.
    let value = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 0) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether `code` is fifteen digits whose last is the check digit of the others. */
export function isValidPaymentCode(code: string): boolean {
  if (!/^\d{15}$/.test(code)) return false;
  return luhnCheckDigit(code.slice(0, -1)) === Number(code.at(-1));
}

/**
 * A new random payment code (the first digit never 0, so the code reads the same as a number).
 *
 * @example
 * newPaymentCode(); // '482019374650129'
 */
export function newPaymentCode(random: (max: number) => number = randomInt): string {
  let body = String(1 + random(9));
  while (body.length < PAYMENT_CODE_LENGTH - 1) body += String(random(10));
  return `${body}${luhnCheckDigit(body)}`;
}
