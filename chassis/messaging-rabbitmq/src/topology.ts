import type { Channel } from 'amqplib';

/** Unacknowledged redeliveries a message gets before it is dead-lettered, unless configured otherwise. */
export const DEFAULT_DELIVERY_LIMIT = 20;

/** Name prefix of every exchange and queue, unless configured otherwise. */
export const DEFAULT_NAME_PREFIX = 'talad';

const DEAD_LETTER = 'dead-letter';
const MEMBERS_QUEUE_EXPIRY_MS = 60_000;

/**
 * Every broker object the transport declares, named from one prefix so that a deployment, or a test
 * run, owns a disjoint set of them and can list or delete exactly its own.
 *
 * - `<prefix>.<topic>`: a durable direct exchange per topic; the routing key is the partition number.
 * - `<prefix>.<group>.<topic>.<partition>`: a durable quorum queue per group, topic and partition.
 * - `<prefix>.dead-letter`: a durable direct exchange; the routing key is the group.
 * - `<prefix>.<group>.dead-letter`: the group's durable quorum dead-letter queue.
 * - `<prefix>.<group>.members`: a transient queue nobody publishes to; each live instance of the group
 *   consumes it, so its consumer count is the number of instances.
 * - `<prefix>.<group>.<topic>.<partition>.owner`: a transient exclusive queue, declared by the instance
 *   that reads that partition; the broker deletes it when that instance's connection goes.
 */
export interface TopologyNames {
  readonly prefix: string;
  topicExchange(topic: string): string;
  partitionQueue(group: string, topic: string, partition: number): string;
  readonly deadLetterExchange: string;
  deadLetterQueue(group: string): string;
  membersQueue(group: string): string;
  ownerQueue(group: string, topic: string, partition: number): string;
}

/**
 * The names under one prefix; tools that inspect or replay a group's dead letters use it too.
 *
 * @example
 * const names = topologyNames('talad');
 * names.partitionQueue('inventory', 'ordering.events', 3); // 'talad.inventory.ordering.events.3'
 * names.deadLetterQueue('inventory'); // 'talad.inventory.dead-letter'
 */
export function topologyNames(prefix: string = DEFAULT_NAME_PREFIX): TopologyNames {
  return {
    prefix,
    topicExchange: (topic) => `${prefix}.${checkTopic(topic)}`,
    partitionQueue: (group, topic, partition) => `${prefix}.${checkGroup(group)}.${topic}.${partition}`,
    deadLetterExchange: `${prefix}.${DEAD_LETTER}`,
    deadLetterQueue: (group) => `${prefix}.${checkGroup(group)}.${DEAD_LETTER}`,
    membersQueue: (group) => `${prefix}.${checkGroup(group)}.members`,
    ownerQueue: (group, topic, partition) => `${prefix}.${checkGroup(group)}.${topic}.${partition}.owner`,
  };
}

// Topics may contain dots (`ordering.events`); a group may not, so every queue name maps back to
// exactly one (group, topic, partition) and no two of them share a queue.
const GROUP_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Returns `topic`, or throws if its exchange would be the dead-letter exchange. */
function checkTopic(topic: string): string {
  if (topic === DEAD_LETTER || topic.length === 0) throw new Error(`"${topic}" cannot be a topic name`);
  return topic;
}

/** Returns `group`, or throws if it cannot be part of a queue name unambiguously. */
export function checkGroup(group: string): string {
  if (!GROUP_PATTERN.test(group)) {
    throw new Error(`consumer group "${group}" must match ${String(GROUP_PATTERN)} (letters, digits, _ and -)`);
  }
  return group;
}

/**
 * Arguments of a partition queue. Every instance must declare the same ones: RabbitMQ refuses a
 * redeclaration with different arguments (PRECONDITION_FAILED) rather than silently keeping either.
 *
 * @example
 * partitionQueueArguments({ group: 'inventory', deadLetterExchange: 'talad.dead-letter', deliveryLimit: 20 });
 */
export function partitionQueueArguments(options: {
  group: string;
  deadLetterExchange: string;
  deliveryLimit: number;
}): Record<string, unknown> {
  return {
    // Replicated, fsynced log; requeued messages return to the head, and it counts deliveries.
    'x-queue-type': 'quorum',
    // One consumer of the group at a time per partition, in order; a standby takes over when it goes.
    'x-single-active-consumer': true,
    // A message that keeps crashing its consumer stops looping after this many deliveries (one that keeps
    // failing its handler is counted and rejected to the dead-letter queue by the consumer itself).
    'x-delivery-limit': options.deliveryLimit,
    'x-dead-letter-exchange': options.deadLetterExchange,
    'x-dead-letter-routing-key': options.group,
    // The queue keeps a dead-lettered message until the dead-letter queue has confirmed it, so one is
    // never lost on the way; RabbitMQ requires reject-publish overflow for this strategy.
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
  };
}

/**
 * Declares what a consumer group needs to receive `topics`: the exchanges, its partition queues and
 * their bindings, and its dead-letter route. Idempotent and safe when instances start together; run
 * it on a channel of its own, since a refused declaration closes the channel.
 */
export async function declareGroupTopology(
  channel: Channel,
  options: {
    names: TopologyNames;
    group: string;
    topics: readonly string[];
    partitions: number;
    deliveryLimit: number;
  },
): Promise<void> {
  const { names, group } = options;
  // The dead-letter route exists before any queue that dead-letters into it.
  await channel.assertExchange(names.deadLetterExchange, 'direct', { durable: true });
  await channel.assertQueue(names.deadLetterQueue(group), {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await channel.bindQueue(names.deadLetterQueue(group), names.deadLetterExchange, group);

  const queueArguments = partitionQueueArguments({
    group,
    deadLetterExchange: names.deadLetterExchange,
    deliveryLimit: options.deliveryLimit,
  });
  // Gone a minute after the group's last instance stopped consuming it.
  await channel.assertQueue(names.membersQueue(group), {
    durable: false,
    arguments: { 'x-queue-type': 'classic', 'x-expires': MEMBERS_QUEUE_EXPIRY_MS },
  });
  for (const topic of options.topics) {
    await declareTopicExchange(channel, names, topic);
    for (let partition = 0; partition < options.partitions; partition++) {
      const queue = names.partitionQueue(group, topic, partition);
      await channel.assertQueue(queue, { durable: true, arguments: queueArguments });
      await channel.bindQueue(queue, names.topicExchange(topic), String(partition));
    }
  }
}

export async function declareTopicExchange(channel: Channel, names: TopologyNames, topic: string): Promise<void> {
  await channel.assertExchange(names.topicExchange(topic), 'direct', { durable: true });
}
