import { describe, expect, it } from 'vitest';
import { checkAddress, EMPTY_ADDRESS } from './address.ts';
import { brandOf, checkCard, formatCardNumber, formatExpiry, passesLuhn } from './card.ts';
import { addedQuantity, viewOf, withLine, withoutLine, withQuantity } from './guest-basket.ts';
import { bahtToSatang, formatMoney, thb } from './money.ts';
import { checkoutTotals } from './totals.ts';

const product = {
  id: '0199a8e4-0000-7000-8000-000000000001',
  sku: 'SNK-POC-000001',
  name: 'POCA SHOE NMD Sneakers',
  imageUrl: '/images/products/sneakers.svg',
  price: thb(39_900),
};

describe('money', () => {
  it('shows satang as baht with the baht sign and two decimals', () => {
    expect(formatMoney(thb(129_050))).toBe('฿1,290.50');
    expect(formatMoney(thb(0))).toBe('฿0.00');
  });

  it('reads a typed baht price as satang, and refuses what is not a price', () => {
    expect(bahtToSatang('1,290.5')).toBe(129_050);
    expect(bahtToSatang(' 500 ')).toBe(50_000);
    expect(bahtToSatang('')).toBeUndefined();
    expect(bahtToSatang('12abc')).toBeUndefined();
    expect(bahtToSatang('1.234')).toBeUndefined();
  });
});

describe('checkout totals', () => {
  const quote = {
    subtotal: thb(39_900),
    options: [
      { option: 'standard' as const, fee: thb(5_000), estimatedDays: { min: 2, max: 4 } },
      { option: 'express' as const, fee: thb(12_000), estimatedDays: { min: 1, max: 1 } },
    ],
  };

  it('adds the chosen option’s fee from the quote to the subtotal', () => {
    expect(checkoutTotals(thb(39_900), quote, 'express')).toEqual({
      subtotal: thb(39_900),
      shippingFee: thb(12_000),
      total: thb(51_900),
    });
  });

  it('charges no fee before the quote has arrived', () => {
    expect(checkoutTotals(thb(39_900), undefined, 'standard').total).toEqual(thb(39_900));
  });
});

describe('the guest basket', () => {
  it('adds to the quantity already there, up to the most a line may hold', () => {
    const lines = withLine([], product, '42', 3);
    expect(addedQuantity(lines, product.id, '42', 2)).toBe(5);
    expect(addedQuantity(lines, product.id, '42', 19)).toBe(20);
    expect(addedQuantity(lines, product.id, '43', 1)).toBe(1);
  });

  it('totals available lines only, and keeps one line per product', () => {
    const lines = withLine(withLine([], product, '42', 1), product, '43', 2);
    expect(lines).toHaveLength(1);
    expect(viewOf(lines)).toMatchObject({ subtotal: thb(79_800), itemCount: 2 });
    expect(viewOf(withQuantity(lines, product.id, 3)).subtotal).toEqual(thb(119_700));
    expect(viewOf([{ ...lines[0]!, available: false }])).toMatchObject({ subtotal: thb(0), itemCount: 0 });
    expect(withoutLine(lines, product.id)).toEqual([]);
  });
});

describe('the card form rules', () => {
  const now = new Date('2026-06-15T00:00:00Z');

  it('accepts a good card and gives the provider digits only', () => {
    const { card, errors } = checkCard({ number: '4242 4242 4242 4242', expiry: '12 / 29', cvc: '123', name: '' }, now);
    expect(errors).toEqual({});
    expect(card).toEqual({ number: '4242424242424242', expMonth: 12, expYear: 2029, cvc: '123' });
  });

  it('names each field that is wrong', () => {
    const { card, errors } = checkCard({ number: '4242 4242 4242 4241', expiry: '05 / 26', cvc: '12', name: '' }, now);
    expect(card).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['cvc', 'expiry', 'number']);
    expect(errors.expiry).toBe('This card has expired.');
  });

  it('knows brands, the Luhn check and the usual groupings', () => {
    expect(brandOf('4000 0000 0000 0002')).toBe('visa');
    expect(brandOf('5555555555554444')).toBe('mastercard');
    expect(brandOf('378282246310005')).toBe('amex');
    expect(passesLuhn('4000000000000002')).toBe(true);
    expect(passesLuhn('4000000000000003')).toBe(false);
    expect(formatCardNumber('378282246310005')).toBe('3782 822463 10005');
    expect(formatExpiry('123', '12 / ')).toBe('12 / 3');
    expect(formatExpiry('12', '12 / ')).toBe('12');
  });
});

describe('the address form rules', () => {
  it('accepts a Thai address, dropping spaces from the phone and an empty second line', () => {
    const { address, errors } = checkAddress({
      ...EMPTY_ADDRESS,
      name: 'Somchai Jaidee',
      phone: '081 234 5678',
      line1: '99/1 Sukhumvit Road',
      subdistrict: 'Khlong Toei Nuea',
      district: 'Watthana',
      province: 'Bangkok',
      postalCode: '10110',
    });
    expect(errors).toEqual({});
    expect(address?.phone).toBe('0812345678');
    expect(address && 'line2' in address).toBe(false);
  });

  it('explains every missing or malformed field', () => {
    const { address, errors } = checkAddress({ ...EMPTY_ADDRESS, phone: '12345', postalCode: '1011' });
    expect(address).toBeUndefined();
    expect(errors.phone).toBe('Enter a Thai phone number, such as 0812345678.');
    expect(errors.postalCode).toBe('Enter the 5-digit postal code.');
    expect(errors.name).toBeDefined();
    expect(errors.line2).toBeUndefined();
  });
});
