import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { connect, type Channel } from 'amqplib';
import type { Transport, TransportMessage } from '@talad/messaging';
import { startTcpProxy, type TcpProxy } from '@talad/testing';

export { uniqueName, waitFor } from '@talad/messaging/testing';
import type { TopologyNames } from './topology.ts';

/**
 * The RabbitMQ server that integration tests use: a real one, never a mock. `RABBITMQ_URL` points
 * at it; `rabbitmqctl` on the same machine lists and closes connections and lists queues.
 */
export const rabbitMqUrl = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

const run = promisify(execFile);

/**
 * A TCP proxy in front of the broker at `url`, and the same URL through it, for tests that cut the network.
 *
 * @example
 * const { proxy, url } = await proxyTo(rabbitMqUrl);
 * proxy.cut(); // ...the broker is unreachable...
 * proxy.restore();
 */
export async function proxyTo(url: string): Promise<{ proxy: TcpProxy; url: string }> {
  const broker = new URL(url);
  const proxy = await startTcpProxy({ targetHost: broker.hostname, targetPort: Number(broker.port || 5672) });
  const through = new URL(url);
  through.hostname = proxy.host;
  through.port = String(proxy.port);
  return { proxy, url: through.toString() };
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

/** The groups (with their topics) and topics a test's transports used: what to delete afterwards. */
export interface TopologyUse {
  readonly groups: Map<string, Set<string>>;
  readonly topics: Set<string>;
}

export function newTopologyUse(): TopologyUse {
  return { groups: new Map(), topics: new Set() };
}

/**
 * The transport, noting every group and topic it declares into `use`, so a test can delete exactly
 * those queues and exchanges over AMQP (fast) rather than listing the broker's (slow).
 */
export function trackTopology(transport: Transport, use: TopologyUse): Transport {
  return {
    kind: transport.kind,
    partitions: transport.partitions,
    publish(messages) {
      for (const message of messages) use.topics.add(message.topic);
      return transport.publish(messages);
    },
    consume(options) {
      const topics = use.groups.get(options.group) ?? new Set<string>();
      for (const topic of options.topics) {
        topics.add(topic);
        use.topics.add(topic);
      }
      use.groups.set(options.group, topics);
      return transport.consume(options);
    },
    ping: () => transport.ping(),
    close: () => transport.close(),
  };
}

/** Deletes the queues and exchanges `use` noted, and forgets them. */
export async function deleteUsedTopology(names: TopologyNames, partitions: number, use: TopologyUse): Promise<void> {
  await withChannel(async (channel) => {
    for (const [group, topics] of use.groups) {
      for (const topic of topics) {
        for (let partition = 0; partition < partitions; partition++) {
          await channel.deleteQueue(names.partitionQueue(group, topic, partition));
        }
      }
      await channel.deleteQueue(names.deadLetterQueue(group));
      await channel.deleteQueue(names.membersQueue(group));
    }
    for (const topic of use.topics) await channel.deleteExchange(names.topicExchange(topic));
  });
  use.groups.clear();
  use.topics.clear();
}
