import type { Channel, ChannelModel } from 'amqplib';
import {
  backoffDelay,
  createSemaphore,
  Signal,
  sleep,
  type ConsumeOptions,
  type Consumer,
  type Semaphore,
  type TransportLogger,
} from '@talad/messaging';
import { closeQuietly } from './close-quietly.ts';
import type { BrokerConnection } from './connection.ts';
import { PartitionConsumer } from './partition-consumer.ts';
import { checkGroup, declareGroupTopology, type TopologyNames } from './topology.ts';

export interface ConsumerSettings {
  readonly connection: BrokerConnection;
  readonly names: TopologyNames;
  readonly partitions: number;
  readonly deliveryLimit: number;
  /** Wait before handing a failed message back, so a failing handler does not spin. */
  readonly retryDelayMs: number;
  /** Messages the broker may send a partition ahead of the one being handled. */
  readonly prefetch: number;
  /** How often an instance counts its group's members and takes or gives up partitions. */
  readonly rebalanceIntervalMs: number;
  /** Pauses between attempts to subscribe again after the broker went away. */
  readonly backoff: { readonly initialDelayMs: number; readonly maxDelayMs: number };
  readonly logger: TransportLogger;
}

interface Unit {
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  readonly queue: string;
  readonly owner: string;
}

/** What this instance holds on one connection; replaced whole when the connection is lost. */
interface Session {
  readonly model: ChannelModel;
  /** Consumes the members queue: this instance counts as a member while it is open. */
  readonly membership: Channel;
  /** Declares owner queues and counts members; a refused claim closes it, so it is replaced then. */
  control: Channel | undefined;
  readonly owned: Map<string, PartitionConsumer>;
  lost: boolean;
}

/**
 * One instance's membership in a consumer group. Every instance of the group consumes the group's
 * members queue, so its consumer count is the number of instances; each aims at ceil(partitions /
 * instances) of the group's partition queues and reads only those it owns. Owning a partition means
 * having declared its exclusive owner queue: the broker refuses it to everyone else and deletes it when
 * the owner's connection goes, so a partition has one reader, and a dead instance's partitions are free
 * at once (its unacknowledged messages back in their queues, in order). An instance above its share
 * gives partitions up (after handling what it has of them), one below takes free ones, every
 * `rebalanceIntervalMs`. The partition queues also have a single active consumer, a second guard.
 *
 * @example
 * const consumer = await startConsumer({ group: 'inventory', topics: ['ordering.events'], concurrency: 8, handle }, settings);
 * await consumer.stop();
 */
export async function startConsumer(options: ConsumeOptions, settings: ConsumerSettings): Promise<Consumer> {
  const { connection, names, logger } = settings;
  const group = checkGroup(options.group);
  if (options.topics.length === 0) throw new Error('a consumer needs at least one topic');
  const slots = createSemaphore(options.concurrency);
  const units: Unit[] = options.topics.flatMap((topic) =>
    Array.from({ length: settings.partitions }, (_, partition) => ({
      id: `${topic}/${partition}`,
      topic,
      partition,
      queue: names.partitionQueue(group, topic, partition),
      owner: names.ownerQueue(group, topic, partition),
    })),
  );
  const stopping = new AbortController();
  // A function, so the compiler does not assume the flag unchanged across an await.
  const isStopping = (): boolean => stopping.signal.aborted;
  const tick = new Signal();
  let session: Session | undefined;

  const openSession = async (model: ChannelModel): Promise<Session> => {
    const setup = await model.createChannel();
    setup.on('error', (error: Error) => logger.warn({ err: error, group }, 'RabbitMQ refused a declaration'));
    try {
      await declareGroupTopology(setup, {
        names,
        group,
        topics: options.topics,
        partitions: settings.partitions,
        deliveryLimit: settings.deliveryLimit,
      });
    } finally {
      await closeQuietly(setup);
    }
    const membership = await model.createChannel();
    const opened: Session = { model, membership, control: undefined, owned: new Map(), lost: false };
    const onLost = (): void => {
      opened.lost = true;
      tick.notify();
    };
    membership.on('error', (error: Error) => logger.warn({ err: error, group }, 'RabbitMQ membership channel error'));
    membership.on('close', onLost);
    model.once('close', onLost);
    try {
      await membership.consume(names.membersQueue(group), () => undefined, { noAck: true });
    } catch (error) {
      await closeQuietly(membership);
      throw error;
    }
    return opened;
  };

  const controlChannel = async (current: Session): Promise<Channel> => {
    if (current.control) return current.control;
    const channel = await current.model.createChannel();
    channel.on('error', () => undefined); // a refused claim: expected, the channel is replaced
    channel.on('close', () => {
      if (current.control === channel) current.control = undefined;
    });
    current.control = channel;
    return channel;
  };

  /** Claims an owner queue; false if another instance owns it (RESOURCE_LOCKED). */
  const claim = async (current: Session, unit: Unit): Promise<boolean> => {
    const channel = await controlChannel(current);
    try {
      await channel.assertQueue(unit.owner, {
        exclusive: true,
        durable: false,
        arguments: { 'x-queue-type': 'classic' },
      });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 405) return false;
      throw error;
    }
  };

  const giveUp = async (current: Session, unit: Unit, partition: PartitionConsumer): Promise<void> => {
    await partition.stop();
    current.owned.delete(unit.id);
    if (current.lost) return;
    // Deleted only once its messages are handled and acknowledged: then another instance may take it.
    await (await controlChannel(current)).deleteQueue(unit.owner);
  };

  const rebalance = async (current: Session): Promise<void> => {
    // Partitions whose channel the broker closed: give them up, so they are taken up afresh.
    for (const unit of units) {
      const partition = current.owned.get(unit.id);
      if (partition?.lost) await giveUp(current, unit, partition);
    }
    const { consumerCount } = await (await controlChannel(current)).checkQueue(names.membersQueue(group));
    const target = Math.ceil(units.length / Math.max(1, consumerCount));
    // Busy partitions first, so the excess given up is idle ones: giving one up waits for its handler.
    const owned = units
      .filter((unit) => current.owned.has(unit.id))
      .sort((a, b) => Number(current.owned.get(b.id)?.busy) - Number(current.owned.get(a.id)?.busy));
    if (owned.length > target) {
      const excess = owned.slice(target);
      await Promise.all(
        excess.flatMap((unit) => {
          const partition = current.owned.get(unit.id);
          return partition ? [giveUp(current, unit, partition)] : [];
        }),
      );
      return;
    }
    const free = units.filter((unit) => !current.owned.has(unit.id));
    // From a random point, so instances joining together do not all race for the same partitions.
    const offset = Math.floor(Math.random() * free.length);
    for (const unit of [...free.slice(offset), ...free.slice(0, offset)]) {
      if (current.owned.size >= target || stopping.signal.aborted || current.lost) return;
      if (!(await claim(current, unit))) continue;
      try {
        current.owned.set(unit.id, await startPartition(current.model, unit, slots));
      } catch (error) {
        await (await controlChannel(current)).deleteQueue(unit.owner).catch(() => undefined);
        throw error;
      }
    }
  };

  const startPartition = (model: ChannelModel, unit: Unit, semaphore: Semaphore): Promise<PartitionConsumer> =>
    PartitionConsumer.start(model, {
      group,
      topic: unit.topic,
      partition: unit.partition,
      queue: unit.queue,
      prefetch: settings.prefetch,
      retryDelayMs: settings.retryDelayMs,
      deliveryLimit: settings.deliveryLimit,
      handle: options.handle,
      slots: semaphore,
      logger,
    });

  /**
   * Ends a session: each partition takes no more messages; on a live connection it finishes what it has
   * and releases its owner queue, on a lost one its handlers finish (their messages are already back in
   * the queues). Done before a new session starts, so a partition never runs two messages at once here.
   */
  const endSession = async (current: Session): Promise<void> => {
    await Promise.all(
      units.flatMap((unit) => {
        const partition = current.owned.get(unit.id);
        return partition ? [giveUp(current, unit, partition).catch(() => undefined)] : [];
      }),
    );
    await closeQuietly(current.membership);
    if (current.control) await closeQuietly(current.control);
  };

  const maintain = async (): Promise<void> => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      try {
        if (session?.lost) {
          const lost = session;
          session = undefined;
          logger.warn({ group }, 'RabbitMQ consumer lost its connection; subscribing again');
          await endSession(lost);
        }
        if (!session) {
          session = await openSession(await connection.whenConnected(stopping.signal));
          if (failures > 0) logger.info({ group }, 'RabbitMQ consumer subscribed again');
        }
        await rebalance(session);
        failures = 0;
      } catch (error) {
        if (isStopping()) break;
        failures += 1;
        logger.warn({ err: error, group }, 'RabbitMQ consumer cannot take its partitions yet; retrying');
        await sleep(backoffDelay(failures, settings.backoff), stopping.signal);
        continue;
      }
      await tick.wait(settings.rebalanceIntervalMs);
    }
  };

  // The first session and share are taken before this resolves, so messages published afterwards reach the
  // group; later rounds run in the background.
  session = await openSession(await connection.current());
  try {
    await rebalance(session);
  } catch (error) {
    await endSession(session);
    throw error;
  }
  const loop = maintain();
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        tick.notify();
        await loop;
        const last = session;
        session = undefined;
        if (last) await endSession(last);
      })();
      return stopped;
    },
  };
}
