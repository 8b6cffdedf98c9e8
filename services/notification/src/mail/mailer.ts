import { sendMail } from './smtp-client.ts';

export interface Mailer {
  /** Sends the mail, or leaves it to the local mailbox; says which. */
  deliver(mail: { to: string; subject: string; text: string; html: string }): Promise<'smtp' | 'mailbox'>;
}

/** Through the SMTP server at `url` when one is given; otherwise the local mailbox is where mail stays. */
export function createMailer(options: { smtpUrl?: string | undefined; from: string }): Mailer {
  const { smtpUrl, from } = options;
  if (!smtpUrl) return { deliver: async () => 'mailbox' };
  return {
    async deliver(mail) {
      await sendMail({ url: smtpUrl }, { from, ...mail });
      return 'smtp';
    },
  };
}
