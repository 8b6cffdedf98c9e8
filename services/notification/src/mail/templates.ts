import type { Money } from '@talad/contracts-common';
import { assertNever } from '@talad/core';

/** The mails notification sends, one small template each. */
export const MAIL_KINDS = [
  'order-confirmed',
  'pay-slip',
  'payment-received',
  'shipped',
  'delivered',
  'cancelled',
  'rejected',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** What a template needs, by kind. */
export type MailFacts =
  | { kind: 'order-confirmed'; orderId: string; total: Money; itemCount: number }
  | { kind: 'pay-slip'; orderId: string; paymentCode: string; invoiceNumber: string; amount: Money; expiresAt: string }
  | { kind: 'payment-received'; orderId: string; amount: Money }
  | { kind: 'shipped'; orderId: string; trackingNumber: string; courier: string }
  | { kind: 'delivered'; orderId: string; trackingNumber: string }
  | { kind: 'cancelled'; orderId: string; slipExpired: boolean }
  | { kind: 'rejected'; orderId: string; reason: string };

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The mail for a fact, in text and HTML. Pure: the same facts give the same mail.
 *
 * @example
 * composeMail({ name: 'Somchai' }, { kind: 'cancelled', orderId, slipExpired: false }).subject; // 'Order 0193… cancelled'
 */
export function composeMail(recipient: { name: string }, facts: MailFacts): ComposedMail {
  const order = shortOrder(facts.orderId);
  const { subject, lines } = contentOf(facts, order);
  const greeting = `Dear ${recipient.name},`;
  const closing = 'Thank you for shopping at Talad.';
  return {
    subject,
    text: [greeting, '', ...lines, '', closing, ''].join('\r\n'),
    html:
      '<!doctype html><html><body style="font-family:sans-serif">' +
      `<p>${escapeHtml(greeting)}</p>` +
      lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('') +
      `<p>${escapeHtml(closing)}</p></body></html>`,
  };
}

function contentOf(facts: MailFacts, order: string): { subject: string; lines: string[] } {
  switch (facts.kind) {
    case 'order-confirmed':
      return {
        subject: `Order ${order} confirmed`,
        lines: [
          `Your order ${order} is confirmed: ${facts.itemCount} item(s), ${baht(facts.total)} in all.`,
          'We will write again when it ships.',
        ],
      };
    case 'pay-slip':
      return {
        subject: `Pay slip for order ${order}`,
        lines: [
          `Pay ${baht(facts.amount)} at any counter service with payment code ${facts.paymentCode}.`,
          `Invoice ${facts.invoiceNumber}. The slip expires at ${facts.expiresAt}; unpaid by then, the order is cancelled.`,
        ],
      };
    case 'payment-received':
      return {
        subject: `Payment received for order ${order}`,
        lines: [`We received your payment of ${baht(facts.amount)} for order ${order}.`],
      };
    case 'shipped':
      return {
        subject: `Order ${order} shipped`,
        lines: [`Your order ${order} is on its way with ${facts.courier}: tracking number ${facts.trackingNumber}.`],
      };
    case 'delivered':
      return {
        subject: `Order ${order} delivered`,
        lines: [`Your order ${order} was delivered (tracking number ${facts.trackingNumber}).`],
      };
    case 'cancelled':
      return {
        subject: `Order ${order} cancelled`,
        lines: [
          facts.slipExpired
            ? `Your order ${order} was cancelled: its pay slip expired before it was paid. Nothing was charged.`
            : `Your order ${order} was cancelled. Any money taken is returned to you.`,
        ],
      };
    case 'rejected':
      return {
        subject: `Order ${order} could not be placed`,
        lines: [`We could not complete your order ${order} (${facts.reason.toLowerCase().replaceAll('_', ' ')}).`],
      };
    default:
      return assertNever(facts);
  }
}

/** 129000 satang → "฿1,290.00". */
export function baht(money: Money): string {
  const whole = Math.floor(money.amount / 100).toLocaleString('en-US');
  return `฿${whole}.${String(money.amount % 100).padStart(2, '0')}`;
}

/** The last block of the order id (the random part of a UUIDv7): what a person reads out on the phone. */
function shortOrder(orderId: string): string {
  return orderId.slice(-8).toUpperCase();
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
