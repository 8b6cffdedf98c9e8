import type { Queryable } from '@talad/pg';
import type { MailKind } from '../mail/templates.ts';

export interface StoredMail {
  id: string;
  eventId: string;
  kind: MailKind;
  orderId: string;
  customerId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  delivery: 'smtp' | 'mailbox';
  createdAt: string;
}

interface MailRow {
  id: string;
  event_id: string;
  kind: MailKind;
  order_id: string;
  customer_id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  delivery: 'smtp' | 'mailbox';
  created_at: Date;
}

/** Remembers whose order it is, for payment's events that may not say. */
export async function rememberOrder(tx: Queryable, orderId: string, customerId: string): Promise<void> {
  await tx.query('INSERT INTO order_customers (order_id, customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    orderId,
    customerId,
  ]);
}

export async function customerOfOrder(tx: Queryable, orderId: string): Promise<string | null> {
  const { rows } = await tx.query<{ customer_id: string }>(
    'SELECT customer_id FROM order_customers WHERE order_id = $1',
    [orderId],
  );
  return rows[0]?.customer_id ?? null;
}

export async function hasMailFor(tx: Queryable, eventId: string): Promise<boolean> {
  const { rowCount } = await tx.query('SELECT 1 FROM mails WHERE event_id = $1', [eventId]);
  return (rowCount ?? 0) > 0;
}

/** Records a mail; the event id is unique, so an event never makes two. */
export async function insertMail(tx: Queryable, mail: StoredMail): Promise<void> {
  await tx.query(
    `INSERT INTO mails (id, event_id, kind, order_id, customer_id, to_address, subject, text_body, html_body,
       delivery, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      mail.id,
      mail.eventId,
      mail.kind,
      mail.orderId,
      mail.customerId,
      mail.to,
      mail.subject,
      mail.text,
      mail.html,
      mail.delivery,
      mail.createdAt,
    ],
  );
}

/** Newest first, to one address or to anyone. */
export async function listMails(db: Queryable, filter: { to?: string; limit: number }): Promise<StoredMail[]> {
  const { rows } = await db.query<MailRow>(
    `SELECT * FROM mails WHERE ($1::text IS NULL OR to_address = $1)
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    [filter.to ?? null, filter.limit],
  );
  return rows.map(toMail);
}

export async function findMail(db: Queryable, id: string): Promise<StoredMail | null> {
  const { rows } = await db.query<MailRow>('SELECT * FROM mails WHERE id = $1', [id]);
  return rows[0] ? toMail(rows[0]) : null;
}

function toMail(row: MailRow): StoredMail {
  return {
    id: row.id,
    eventId: row.event_id,
    kind: row.kind,
    orderId: row.order_id,
    customerId: row.customer_id,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    delivery: row.delivery,
    createdAt: row.created_at.toISOString(),
  };
}
