export { buildNotificationApp, type NotificationAppOptions } from './app.ts';
export { migrationsDirectory } from './migrations.ts';
export { NotificationErrorCode } from './error-codes.ts';
export {
  createIdentityDirectory,
  type CustomerDirectory,
  type CustomerContact,
} from './customers/customer-directory.ts';
export { createMailer, type Mailer } from './mail/mailer.ts';
export { composeMail, MAIL_KINDS, type MailKind, type MailFacts } from './mail/templates.ts';
