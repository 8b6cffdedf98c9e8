import { randomUUID } from 'node:crypto';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/** A mail ready to go: both bodies go as one multipart/alternative message. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SmtpSettings {
  /** `smtp://[user:password@]host[:port]` (plain, port 25 by default) or `smtps://…` (TLS, port 465). */
  url: string;
  /** Name sent with EHLO. */
  clientName?: string;
  timeoutMs?: number;
}

/** The server refused a step, or the conversation broke off. */
export class SmtpError extends Error {
  readonly code: number | undefined;
  constructor(message: string, code?: number) {
    super(message);
    this.name = 'SmtpError';
    this.code = code;
  }
}

/**
 * Sends one mail through an SMTP server, one connection per mail: the conversation of RFC 5321 by
 * hand (EHLO, AUTH PLAIN when the URL carries a user, MAIL FROM, RCPT TO, DATA, QUIT). Resolves once the
 * server accepted the message (250 after the data).
 *
 * @example
 * await sendMail({ url: 'smtp://127.0.0.1:2525' }, { from: 'shop@talad.test', to, subject, text, html });
 */
export async function sendMail(settings: SmtpSettings, mail: OutgoingMail): Promise<void> {
  const url = new URL(settings.url);
  const secure = url.protocol === 'smtps:';
  if (!secure && url.protocol !== 'smtp:')
    throw new SmtpError(`SMTP_URL must be smtp:// or smtps://, not ${url.protocol}`);
  const port = Number(url.port || (secure ? 465 : 25));
  const socket: Socket = secure
    ? connectTls({ host: url.hostname, port, servername: url.hostname })
    : connectTcp({ host: url.hostname, port });
  const conversation = new Conversation(socket, settings.timeoutMs ?? 10_000);
  try {
    await conversation.expect(220);
    await conversation.command(`EHLO ${settings.clientName ?? 'talad-notification'}`, 250);
    if (url.username) {
      const credentials = `\0${decodeURIComponent(url.username)}\0${decodeURIComponent(url.password)}`;
      await conversation.command(`AUTH PLAIN ${Buffer.from(credentials).toString('base64')}`, 235);
    }
    await conversation.command(`MAIL FROM:<${address(mail.from)}>`, 250);
    await conversation.command(`RCPT TO:<${address(mail.to)}>`, 250);
    await conversation.command('DATA', 354);
    await conversation.command(`${mimeMessage(mail)}\r\n.`, 250);
    await conversation.command('QUIT', 221).catch(() => undefined);
  } finally {
    socket.destroy();
  }
}

/** An address as it goes between angle brackets: no line breaks or brackets can smuggle in commands. */
function address(value: string): string {
  if (/[\r\n<>]/.test(value)) throw new SmtpError(`not a usable mail address: ${JSON.stringify(value)}`);
  return value;
}

/** The message: headers, then text and HTML as quoted parts (base64, so any line length is safe). */
export function mimeMessage(mail: OutgoingMail): string {
  const boundary = `talad-${randomUUID()}`;
  const encodedSubject = `=?UTF-8?B?${Buffer.from(mail.subject).toString('base64')}?=`;
  const part = (type: string, body: string): string[] => [
    `--${boundary}`,
    `Content-Type: ${type}; charset=utf-8`,
    'Content-Transfer-Encoding: base64',
    '',
    ...(Buffer.from(body)
      .toString('base64')
      .match(/.{1,76}/g) ?? []),
  ];
  return [
    `From: <${address(mail.from)}>`,
    `To: <${address(mail.to)}>`,
    `Subject: ${encodedSubject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${randomUUID()}@talad>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    ...part('text/plain', mail.text),
    ...part('text/html', mail.html),
    `--${boundary}--`,
  ].join('\r\n');
}

/** Reads the server's replies line by line; a reply ends with a line whose code is followed by a space. */
class Conversation {
  private readonly socket: Socket;
  private readonly timeoutMs: number;
  private buffer = '';
  private waiting: ((error?: Error) => void) | undefined;
  private failure: Error | undefined;

  constructor(socket: Socket, timeoutMs: number) {
    this.socket = socket;
    this.timeoutMs = timeoutMs;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.waiting?.();
    });
    const fail = (error: Error): void => {
      this.failure ??= error;
      this.waiting?.(this.failure);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new SmtpError('the SMTP server closed the connection')));
  }

  async command(line: string, expected: number): Promise<void> {
    this.socket.write(`${line}\r\n`);
    await this.expect(expected);
  }

  async expect(expected: number): Promise<void> {
    const reply = await this.reply();
    if (reply.code !== expected) {
      throw new SmtpError(`the SMTP server answered ${reply.code} ${reply.text} (expected ${expected})`, reply.code);
    }
  }

  private async reply(): Promise<{ code: number; text: string }> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const complete = /^(\d{3}) (.*)\r?\n/m.exec(this.buffer);
      if (complete) {
        const end = complete.index + complete[0].length;
        this.buffer = this.buffer.slice(end);
        return { code: Number(complete[1]), text: complete[2] ?? '' };
      }
      if (this.failure) throw this.failure;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new SmtpError(`no answer from the SMTP server within ${this.timeoutMs} ms`);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, remaining);
        this.waiting = (error) => {
          clearTimeout(timer);
          this.waiting = undefined;
          if (error) reject(error);
          else resolve();
        };
      });
    }
  }
}
