import type { PaySlip } from '@talad/contracts-payment';
import { formatMoney } from '../money.ts';
import { formatWhen } from '../order-timeline.ts';
import { formatPaymentCode, svgDataUrl, timeLeft } from '../pay-slip.ts';

/** The slip to take to a counter service: printable on its own (the print styles hide the rest). */
export function PaySlipView({ slip, now }: { slip: PaySlip; now: Date }) {
  const code = formatPaymentCode(slip.paymentCode);
  return (
    <section className="pay-slip" aria-labelledby="pay-slip-title" data-testid="pay-slip">
      <h2 id="pay-slip-title">Pay slip</h2>
      <p className="no-print">
        Pay at any counter service by showing this barcode or reading out the payment code. Your order goes ahead once
        the payment reaches us.
      </p>
      <img
        className="barcode"
        src={svgDataUrl(slip.barcodeSvg)}
        alt={`Barcode of payment code ${code}`}
        data-testid="barcode"
      />
      <dl className="slip-facts">
        <dt>Payment code</dt>
        <dd className="payment-code" data-testid="payment-code">
          {code}
        </dd>
        <dt>Amount to pay</dt>
        <dd data-testid="slip-amount">{formatMoney(slip.amount)}</dd>
        <dt>Invoice number</dt>
        <dd data-testid="invoice-number">{slip.invoiceNumber}</dd>
        <dt>Pay before</dt>
        <dd data-testid="slip-expiry">
          <time dateTime={slip.expiresAt}>{formatWhen(slip.expiresAt)}</time>{' '}
          <span className="muted">({timeLeft(slip.expiresAt, now)})</span>
        </dd>
      </dl>
      <button type="button" className="button button-secondary no-print" onClick={() => window.print()}>
        Print pay slip
      </button>
    </section>
  );
}
