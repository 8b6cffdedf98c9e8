import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { EMPTY_ADDRESS, type AddressErrors, type AddressForm } from '../address.ts';
import type { CardForm } from '../card.ts';
import { AddressFields } from './address-form.tsx';
import { CardFields } from './card-fields.tsx';
import { StockBadge } from './stock-badge.tsx';

afterEach(cleanup);

function CardHarness() {
  const [value, setValue] = useState<CardForm>({ number: '', expiry: '', cvc: '', name: '' });
  return <CardFields value={value} errors={{}} onChange={setValue} />;
}

function AddressHarness({ errors }: { errors: AddressErrors }) {
  const [value, setValue] = useState<AddressForm>(EMPTY_ADDRESS);
  return <AddressFields value={value} errors={errors} onChange={setValue} />;
}

describe('the card form', () => {
  it('groups the number as it is typed and names the brand', () => {
    render(<CardHarness />);
    const number = screen.getByLabelText<HTMLInputElement>('Card number');
    fireEvent.change(number, { target: { value: '4242424242424242' } });
    expect(number.value).toBe('4242 4242 4242 4242');
    expect(screen.getByText('Visa')).toBeTruthy();
  });

  it('puts the slash in the expiry and keeps only digits in the security code', () => {
    render(<CardHarness />);
    const expiry = screen.getByLabelText<HTMLInputElement>('Expiry (MM / YY)');
    fireEvent.change(expiry, { target: { value: '1229' } });
    expect(expiry.value).toBe('12 / 29');
    const cvc = screen.getByLabelText<HTMLInputElement>('Security code');
    fireEvent.change(cvc, { target: { value: '1a2b3' } });
    expect(cvc.value).toBe('123');
  });
});

describe('the address form', () => {
  it('labels every field and ties each error to its field for screen readers', () => {
    render(<AddressHarness errors={{ postalCode: 'Enter the 5-digit postal code.' }} />);
    const postalCode = screen.getByLabelText('Postal code');
    expect(postalCode.getAttribute('aria-invalid')).toBe('true');
    const describedBy = postalCode.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(describedBy)?.textContent).toBe('Enter the 5-digit postal code.');
    expect(screen.getByLabelText('Full name').getAttribute('aria-invalid')).toBeNull();
    fireEvent.change(screen.getByLabelText('Phone'), { target: { value: '0812345678' } });
    expect(screen.getByLabelText<HTMLInputElement>('Phone').value).toBe('0812345678');
  });
});

describe('the stock badge', () => {
  it('says in stock, how few are left, or sold out', () => {
    const productId = '0199a8e4-0000-7000-8000-000000000001';
    const { rerender } = render(<StockBadge level={{ productId, available: 40, status: 'in_stock' }} />);
    expect(screen.getByText('In stock')).toBeTruthy();
    rerender(<StockBadge level={{ productId, available: 3, status: 'few_left' }} />);
    expect(screen.getByText('Only 3 left')).toBeTruthy();
    rerender(<StockBadge level={{ productId, available: 0, status: 'sold_out' }} />);
    expect(screen.getByText('Sold out')).toBeTruthy();
  });
});
