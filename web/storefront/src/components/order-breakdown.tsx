import type { Money, ShippingAddress, ShippingOption } from '@talad/contracts-common';
import { formatMoney } from '../money.ts';
import { Price } from './price.tsx';

export const DELIVERY_NAMES: Record<ShippingOption, string> = {
  standard: 'Standard delivery',
  express: 'Express delivery',
};

export interface BreakdownLine {
  productId: string;
  name: string;
  size: string | null;
  quantity: number;
  lineTotal: Money;
}

/** An order's lines and its totals, the same at review before placing it and on its receipt after. */
export function OrderBreakdown(props: {
  lines: readonly BreakdownLine[];
  totals: { subtotal: Money; shippingFee: Money; total: Money };
  option: ShippingOption;
}) {
  const { lines, totals, option } = props;
  return (
    <>
      <ul className="review-lines">
        {lines.map((line) => (
          <li key={`${line.productId}-${line.size ?? ''}`}>
            <span>
              {line.quantity} × {line.name}
              {line.size ? ` (size ${line.size})` : ''}
            </span>
            <Price money={line.lineTotal} />
          </li>
        ))}
      </ul>
      <dl className="totals">
        <dt>Subtotal</dt>
        <dd>
          <Price money={totals.subtotal} />
        </dd>
        <dt>{DELIVERY_NAMES[option]}</dt>
        <dd data-testid="shipping-fee">{totals.shippingFee.amount === 0 ? 'Free' : formatMoney(totals.shippingFee)}</dd>
        <dt className="total">Total</dt>
        <dd className="total" data-testid="order-total">
          <Price money={totals.total} />
        </dd>
      </dl>
    </>
  );
}

export function AddressSummary({ address }: { address: ShippingAddress }) {
  return (
    <address className="address">
      {address.name}, {address.phone}
      <br />
      {address.line1}
      {address.line2 ? `, ${address.line2}` : ''}
      <br />
      {address.subdistrict}, {address.district}, {address.province} {address.postalCode}
    </address>
  );
}
