import type { Money } from '@talad/contracts-common';

const baht = new Intl.NumberFormat('th-TH', { style: 'currency', currency: 'THB' });

/** `{ amount: 129050, currency: 'THB' }` → "฿1,290.50". Amounts stay integer satang everywhere else. */
export function formatMoney(money: Money): string {
  return baht.format(money.amount / 100);
}

export function thb(amount: number): Money {
  return { amount, currency: 'THB' };
}

/** Whole baht typed in a price filter → satang; blank or not a number → undefined. */
export function bahtToSatang(text: string): number | undefined {
  const trimmed = text.trim().replace(/,/g, '');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(trimmed)) return undefined;
  const [whole = '0', fraction = ''] = trimmed.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export function satangToBaht(amount: number): string {
  return amount % 100 === 0 ? String(amount / 100) : (amount / 100).toFixed(2);
}
