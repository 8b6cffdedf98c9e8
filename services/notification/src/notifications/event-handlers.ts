import { newId, type Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import type { Logger } from '@talad/service';
import type { CustomerDirectory } from '../customers/customer-directory.ts';
import type { Mailer } from '../mail/mailer.ts';
import { composeMail } from '../mail/templates.ts';
import { customerNamedBy, mailFactsOf, NOTIFIED_MESSAGES } from './mail-facts.ts';
import { customerOfOrder, hasMailFor, insertMail, rememberOrder } from './mail-store.ts';

export interface NotificationParts {
  directory: CustomerDirectory;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
}

/**
 * One mail per event: the inbox drops redeliveries, and the mail row (unique per event) is written in
 * the same transaction. Through SMTP the mail is handed over before that transaction commits, so a crash
 * between the two sends it again on redelivery: at least once, as mail always is; the local mailbox is
 * exactly once.
 */
export function subscribeNotifications(messaging: Messaging, parts: NotificationParts): void {
  messaging.subscribe({
    messages: NOTIFIED_MESSAGES,
    // Mail is not urgent, and what it waits for is often only late: the order's OrderPlaced (another
    // topic) or identity, busy hashing passwords at a rush of sign-ups. Retry for about two minutes
    // before a dead letter, rather than the default few seconds.
    retry: { attempts: 10, initialDelayMs: 500, maxDelayMs: 30_000 },
    handler: async (message, tx) => {
      const { orderId } = message.data;
      const named = customerNamedBy(message);
      if (named) await rememberOrder(tx, orderId, named);
      const facts = mailFactsOf(message);
      if (!facts || (await hasMailFor(tx, message.id))) return;
      const customerId = named ?? (await customerOfOrder(tx, orderId));
      // The order's OrderPlaced has not arrived yet (another topic): retried until it has.
      if (!customerId) throw new Error(`no customer known yet for order ${orderId}`);
      const contact = await parts.directory.contactOf(customerId);
      if (!contact) {
        parts.logger.warn({ customerId, orderId, kind: facts.kind }, 'no such customer at identity: no mail sent');
        return;
      }
      const mail = composeMail(contact, facts);
      const delivery = await parts.mailer.deliver({ to: contact.email, ...mail });
      await insertMail(tx, {
        id: newId(),
        eventId: message.id,
        kind: facts.kind,
        orderId,
        customerId,
        to: contact.email,
        ...mail,
        delivery,
        createdAt: parts.clock.now().toISOString(),
      });
    },
  });
}
