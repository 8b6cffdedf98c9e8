/**
 * Money in integer minor units (satang for THB), never floating point.
 *
 * @example
 * const price = money(39_900, 'THB'); // 399.00 THB
 * formatMoney(price); // '฿399.00'
 */
export interface Money {
  readonly amount: number;
  readonly currency: Currency;
}

export type Currency = 'THB';

const MINOR_UNITS_PER_MAJOR: Record<Currency, number> = { THB: 100 };

export function money(amount: number, currency: Currency = 'THB'): Money {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`money amount must be a whole number of minor units, got ${amount}`);
  }
  return { amount, currency };
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function multiplyMoney(a: Money, factor: number): Money {
  if (!Number.isSafeInteger(factor)) throw new RangeError(`factor must be a whole number, got ${factor}`);
  return money(a.amount * factor, a.currency);
}

export function formatMoney(value: Money, locale = 'en-US'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: value.currency }).format(
    value.amount / MINOR_UNITS_PER_MAJOR[value.currency],
  );
}

function assertSameCurrency(a: Money, b: Money): void {
  const [left, right]: string[] = [a.currency, b.currency];
  if (left !== right) throw new RangeError(`cannot combine ${String(left)} with ${String(right)}`);
}
