import type { Money } from '@talad/contracts-common';
import type { PaySlip } from '@talad/contracts-payment';
import type { Payment, StoredSlip } from '../payments/payment.ts';
import { interleaved2of5Svg } from './barcode.ts';

/** How long a slip may be paid by default: two days. */
export const DEFAULT_PAY_SLIP_TTL_MS = 48 * 60 * 60 * 1000;

/** The slip of a counter payment as published: its barcode drawn from the payment code. Null for a card. */
export function paySlipOf(payment: Payment): PaySlip | null {
  if (!payment.slip || !payment.amount) return null;
  return paySlipView(payment.slip, payment.amount);
}

/** A stored slip as published, with its barcode. */
export function paySlipView(slip: StoredSlip, amount: Money): PaySlip {
  return {
    invoiceNumber: slip.invoiceNumber,
    paymentCode: slip.paymentCode,
    barcodeSvg: interleaved2of5Svg(slip.paymentCode),
    amount,
    expiresAt: slip.expiresAt.toISOString(),
  };
}
