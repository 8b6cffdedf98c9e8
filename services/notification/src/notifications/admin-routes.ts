import { z } from 'zod';
import { DomainError } from '@talad/core';
import type { Pool } from '@talad/pg';
import type { ServiceApp } from '@talad/service';
import { NotificationErrorCode } from '../error-codes.ts';
import { MAIL_KINDS } from '../mail/templates.ts';
import { findMail, listMails } from './mail-store.ts';

const WHOLE_NUMBER = /^\d{1,4}$/;

export const MailboxQuerySchema = z.strictObject({
  to: z.string().trim().toLowerCase().min(1).max(254).optional().describe('Only mails to this address'),
  limit: z
    .preprocess(
      (value) => (typeof value === 'string' && WHOLE_NUMBER.test(value) ? Number(value) : value),
      z.int().min(1).max(500).default(50),
    )
    .describe('At most this many, newest first (at most 500)'),
});

export const MailSchema = z.object({
  id: z.uuid(),
  eventId: z.uuid().describe('The event the mail is about'),
  kind: z.enum(MAIL_KINDS),
  orderId: z.uuid(),
  customerId: z.uuid(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  delivery: z.enum(['smtp', 'mailbox']).describe('Handed to the SMTP server, or kept in the local mailbox only'),
  createdAt: z.iso.datetime(),
});
export const MailListSchema = z.object({ items: z.array(MailSchema) });

/** The mailbox for operators and tests: every mail made, whether it went through SMTP or not. */
export function registerMailboxRoutes(app: ServiceApp, parts: { pool: Pool }): void {
  const config = { access: ['admin', { scope: 'messaging:admin' }] } as const;

  app.get(
    '/admin/mailbox',
    {
      config,
      schema: {
        summary: 'Mails made, newest first',
        querystring: MailboxQuerySchema,
        response: { 200: MailListSchema },
      },
    },
    async (request) => ({ items: await listMails(parts.pool, request.query) }),
  );

  app.get(
    '/admin/mailbox/:id',
    {
      config,
      schema: {
        summary: 'One mail, with its text and HTML',
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: MailSchema },
      },
    },
    async (request) => {
      const mail = await findMail(parts.pool, request.params.id);
      if (!mail) throw new DomainError('not-found', NotificationErrorCode.MailNotFound, 'no mail with this id');
      return mail;
    },
  );
}
