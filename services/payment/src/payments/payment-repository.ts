import type { Queryable } from '@talad/pg';
import type { DeclineReason, Payment, PaymentMethodType, PaymentState, StoredSlip } from './payment.ts';

interface PaymentRow {
  id: string;
  order_id: string;
  customer_id: string | null;
  method: PaymentMethodType;
  state: PaymentState;
  amount: number | null;
  currency: 'THB' | null;
  card_token: string | null;
  brand: string | null;
  last4: string | null;
  provider_authorization_id: string | null;
  decline_reason: DeclineReason | null;
  created_at: Date;
  updated_at: Date;
  authorized_at: Date | null;
  captured_at: Date | null;
  voided_at: Date | null;
  refunded_at: Date | null;
  invoice_number: string | null;
  payment_code: string | null;
  expires_at: Date | null;
  completed_at: Date | null;
  expired_at: Date | null;
}

/** A payment as first recorded, once the provider answered the authorization (or for a tombstone). */
export type NewPayment = Pick<
  Payment,
  | 'id'
  | 'orderId'
  | 'customerId'
  | 'state'
  | 'amount'
  | 'cardToken'
  | 'brand'
  | 'last4'
  | 'providerAuthorizationId'
  | 'declineReason'
> & {
  /** Defaults to card. */
  method?: PaymentMethodType;
  /** A counter payment's slip. */
  slip?: StoredSlip | null;
};

const TIMESTAMP_OF: Partial<Record<PaymentState, string>> = {
  authorized: 'authorized_at',
  captured: 'captured_at',
  voided: 'voided_at',
  refunded: 'refunded_at',
  completed: 'completed_at',
  expired: 'expired_at',
};

/**
 * The order's payment, locked for the rest of the transaction, so that two commands for one order
 * (a duplicate, a retry racing a compensation) are handled one after the other.
 */
export async function lockPaymentOfOrder(tx: Queryable, orderId: string): Promise<Payment | null> {
  const { rows } = await tx.query<PaymentRow>('SELECT * FROM payments WHERE order_id = $1 FOR UPDATE', [orderId]);
  return rows[0] ? toPayment(rows[0]) : null;
}

/** Records the order's payment. Two at once for one order cannot both succeed: `order_id` is unique. */
export async function insertPayment(tx: Queryable, payment: NewPayment, at: Date): Promise<Payment> {
  const { rows } = await tx.query<PaymentRow>(
    `INSERT INTO payments (id, order_id, customer_id, state, amount, currency, card_token, brand, last4,
       provider_authorization_id, decline_reason, created_at, updated_at, authorized_at, method, invoice_number,
       payment_code, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, CASE WHEN $4 = 'authorized' THEN $12::timestamptz END,
       $13, $14, $15, $16)
     RETURNING *`,
    [
      payment.id,
      payment.orderId,
      payment.customerId,
      payment.state,
      payment.amount?.amount ?? null,
      payment.amount?.currency ?? null,
      payment.cardToken,
      payment.brand,
      payment.last4,
      payment.providerAuthorizationId,
      payment.declineReason,
      at,
      payment.method ?? 'card',
      payment.slip?.invoiceNumber ?? null,
      payment.slip?.paymentCode ?? null,
      payment.slip?.expiresAt ?? null,
    ],
  );
  return toPayment(single(rows));
}

export async function changePaymentState(tx: Queryable, id: string, state: PaymentState, at: Date): Promise<Payment> {
  const stamp = TIMESTAMP_OF[state];
  const { rows } = await tx.query<PaymentRow>(
    `UPDATE payments SET state = $2, updated_at = $3${stamp ? `, ${stamp} = $3` : ''} WHERE id = $1 RETURNING *`,
    [id, state, at],
  );
  return toPayment(single(rows));
}

/** Payments, newest first; one order's when `orderId` is given. */
export async function listPayments(
  db: Queryable,
  filter: { orderId?: string | undefined; limit: number },
): Promise<Payment[]> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT * FROM payments WHERE ($1::uuid IS NULL OR order_id = $1) ORDER BY created_at DESC, id DESC LIMIT $2`,
    [filter.orderId ?? null, filter.limit],
  );
  return rows.map(toPayment);
}

/** Every payment's order, state and amount: what the invariant checker compares with the orders. */
export async function paymentStates(
  db: Queryable,
): Promise<Array<Pick<Payment, 'id' | 'orderId' | 'state' | 'amount' | 'providerAuthorizationId'>>> {
  const { rows } = await db.query<PaymentRow>(
    'SELECT id, order_id, state, amount, currency, provider_authorization_id FROM payments ORDER BY order_id',
  );
  return rows.map((row) => ({
    id: row.id,
    orderId: row.order_id,
    state: row.state,
    amount: amountOf(row),
    providerAuthorizationId: row.provider_authorization_id,
  }));
}

function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    method: row.method,
    state: row.state,
    amount: amountOf(row),
    cardToken: row.card_token,
    brand: row.brand,
    last4: row.last4,
    providerAuthorizationId: row.provider_authorization_id,
    declineReason: row.decline_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    authorizedAt: row.authorized_at,
    capturedAt: row.captured_at,
    voidedAt: row.voided_at,
    refundedAt: row.refunded_at,
    slip:
      row.invoice_number && row.payment_code && row.expires_at
        ? { invoiceNumber: row.invoice_number, paymentCode: row.payment_code, expiresAt: row.expires_at }
        : null,
    completedAt: row.completed_at,
    expiredAt: row.expired_at,
  };
}

/** The next invoice number of a pay slip, `INV-<year>-<number>` (at least six digits). */
export async function nextInvoiceNumber(tx: Queryable, at: Date): Promise<string> {
  const { rows } = await tx.query<{ n: string }>(`SELECT nextval('pay_slip_invoice_numbers')::text AS n`);
  return `INV-${at.getUTCFullYear()}-${(rows[0]?.n ?? '0').padStart(6, '0')}`;
}

/** The payment a slip's code belongs to, locked for the rest of the transaction. */
export async function lockPaymentByCode(tx: Queryable, paymentCode: string): Promise<Payment | null> {
  const { rows } = await tx.query<PaymentRow>('SELECT * FROM payments WHERE payment_code = $1 FOR UPDATE', [
    paymentCode,
  ]);
  return rows[0] ? toPayment(rows[0]) : null;
}

/**
 * Marks up to `limit` pending slips whose expiry passed as expired and returns them. Rows another
 * transaction holds (a sweeper elsewhere, a payment being confirmed) are skipped, and the state is
 * re-checked on the locked row, so each slip expires once however many sweepers run.
 */
export async function expireDueSlips(tx: Queryable, now: Date, limit: number): Promise<Payment[]> {
  const { rows } = await tx.query<PaymentRow>(
    `UPDATE payments SET state = 'expired', expired_at = $1, updated_at = $1
      WHERE id IN (SELECT id FROM payments WHERE state = 'pending' AND expires_at <= $1
                    ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    [now, limit],
  );
  return rows.map(toPayment);
}

/** Records a counter-service delivery; false when it was recorded before (a replay). */
export async function recordWebhookDelivery(
  tx: Queryable,
  delivery: { id: string; paymentCode: string; at: Date },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO counter_webhook_deliveries (delivery_id, payment_code, received_at) VALUES ($1, $2, $3)
     ON CONFLICT (delivery_id) DO NOTHING`,
    [delivery.id, delivery.paymentCode, delivery.at],
  );
  return rowCount === 1;
}

function amountOf(row: Pick<PaymentRow, 'amount' | 'currency'>): Payment['amount'] {
  return row.amount === null || row.currency === null ? null : { amount: row.amount, currency: row.currency };
}

function single(rows: PaymentRow[]): PaymentRow {
  const row = rows[0];
  if (!row) throw new Error('the statement returned no payment');
  return row;
}
