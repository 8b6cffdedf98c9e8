import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedSmtpMail {
  from: string;
  to: string[];
  /** The message as sent after DATA, headers and body, dot-stuffing undone. */
  data: string;
}

export interface TestSmtpServer {
  readonly url: string;
  readonly mails: ReceivedSmtpMail[];
  /** The commands clients sent, in order (AUTH arguments included). */
  readonly commands: string[];
  close(): Promise<void>;
}

/** A tiny SMTP server for tests: accepts every mail (and AUTH PLAIN of `user`/`secret`) and keeps it. */
export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const mails: ReceivedSmtpMail[] = [];
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let current: ReceivedSmtpMail = { from: '', to: [], data: '' };
    const dataLines: string[] = [];
    const say = (line: string) => socket.write(`${line}\r\n`);
    say('220 test.smtp ESMTP ready');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            mails.push({ ...current, data: dataLines.join('\r\n') });
            dataLines.length = 0;
            say('250 2.0.0 queued');
          } else dataLines.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        commands.push(line);
        const verb = (line.split(' ')[0] ?? '').toUpperCase();
        if (verb === 'EHLO') {
          say('250-test.smtp greets you');
          say('250 AUTH PLAIN');
        } else if (verb === 'AUTH') {
          const decoded = Buffer.from(line.split(' ')[2] ?? '', 'base64').toString();
          say(decoded === '\0user\0secret' ? '235 2.7.0 authenticated' : '535 5.7.8 bad credentials');
        } else if (verb === 'MAIL') {
          current = { from: /<(.*)>/.exec(line)?.[1] ?? '', to: [], data: '' };
          say('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          current.to.push(/<(.*)>/.exec(line)?.[1] ?? '');
          say('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          say('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'QUIT') {
          say('221 2.0.0 bye');
          socket.end();
        } else say('502 5.5.2 not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://user:secret@127.0.0.1:${(server.address() as AddressInfo).port}`,
    mails,
    commands,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
