import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { connect, type Channel } from 'amqplib';
import type { TransportMessage } from '@talad/messaging';

/**
 * The RabbitMQ server that integration tests use: a real one, never a mock. `RABBITMQ_URL` points
 * at it; `rabbitmqctl` on the same machine lists and closes connections and lists queues.
 */
export const rabbitMqUrl = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

const run = promisify(execFile);

/** A name prefix no other test run uses, so each run declares and deletes only its own objects. */
export function uniquePrefix(label: string): string {
  return `test-${label}-${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** Runs `work` on a channel of a connection of its own, outside any transport. */
export async function withChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
  const model = await connect(rabbitMqUrl);
  try {
    const channel = await model.createChannel();
    return await work(channel);
  } finally {
    await model.close().catch(() => undefined);
  }
}

/** Messages ready in a queue (not counting those delivered and awaiting an ack). */
export async function readyCount(queue: string): Promise<number> {
  return withChannel(async (channel) => (await channel.checkQueue(queue)).messageCount);
}

/**
 * Deletes every queue and exchange whose name starts with `<prefix>.`.
 *
 * @example
 * afterAll(() => deleteTopology(prefix));
 */
export async function deleteTopology(prefix: string): Promise<{ queues: string[]; exchanges: string[] }> {
  const queues = (await listNames('list_queues')).filter((name) => name.startsWith(`${prefix}.`));
  const exchanges = (await listNames('list_exchanges')).filter((name) => name.startsWith(`${prefix}.`));
  await withChannel(async (channel) => {
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
  });
  return { queues, exchanges };
}

/** Names of the queues (or exchanges) that exist on the broker now. */
export async function listNames(command: 'list_queues' | 'list_exchanges'): Promise<string[]> {
  const { stdout } = await run('rabbitmqctl', [command, 'name', '-q', '--no-table-headers']);
  return stdout.split('\n').filter((line) => line.length > 0);
}

/**
 * Closes, from the broker's side, every connection whose client named itself `connectionName`, as a
 * broker restart or a cut network would: the client gets no chance to ack or cancel anything.
 */
export async function forceCloseConnections(connectionName: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', [
    'list_connections',
    'pid',
    'client_properties',
    '-q',
    '--no-table-headers',
  ]);
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${connectionName}"}`))
    .map((line) => line.split('\t')[0] ?? '');
  for (const pid of pids) await run('rabbitmqctl', ['close_connection', pid, 'test: forced close']);
  return pids.length;
}

/** A message whose body carries `seq`, so a test can check order and completeness. */
export function testMessage(topic: string, key: string, seq: number): TransportMessage {
  return {
    id: `${key}-${seq}-${randomBytes(4).toString('hex')}`,
    topic,
    key,
    body: new TextEncoder().encode(JSON.stringify({ key, seq })),
  };
}

export function seqOf(message: TransportMessage): number {
  return (JSON.parse(new TextDecoder().decode(message.body)) as { seq: number }).seq;
}

/** Polls `condition` until it holds, failing after `timeoutMs` with `what` in the message. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
