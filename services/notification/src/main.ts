import { z } from 'zod';
import { runMessagingService } from '@talad/bootstrap';
import { buildNotificationApp } from './app.ts';
import { createIdentityDirectory } from './customers/customer-directory.ts';
import { createMailer } from './mail/mailer.ts';

await runMessagingService({
  name: 'notification',
  config: {
    IDENTITY_URL: z.url(),
    /** notification's machine client at identity, which may read customers' contacts. */
    IDENTITY_CLIENT_ID: z.string().min(1).default('notification'),
    IDENTITY_CLIENT_SECRET: z.string().min(1),
    /** `smtp://[user:password@]host[:port]` or `smtps://…`; unset: mail stays in the local mailbox. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z.string().min(3).default('orders@talad.test'),
  },
  async start({ config, logger, pool, transport, verifier }) {
    const directory = createIdentityDirectory({
      identityUrl: config.IDENTITY_URL,
      clientId: config.IDENTITY_CLIENT_ID,
      clientSecret: config.IDENTITY_CLIENT_SECRET,
    });
    const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
    return buildNotificationApp({ pool, transport, verifier, directory, mailer, logger });
  },
});
