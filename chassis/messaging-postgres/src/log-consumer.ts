import { createHash } from 'node:crypto';
import pg from 'pg';
import { createSemaphore, Signal, sleep, type ConsumeOptions, type Consumer, type Semaphore } from '@talad/messaging';
import type { Pool } from '@talad/pg';
import type { Logger } from '@talad/service';
import { LockNamespace, lockKey, unsignedKey } from './advisory-locks.ts';
import { PartitionWorker, type PartitionUnit, type WorkerSettings } from './partition-worker.ts';

const CHANNEL_PREFIX = 'talad_log:';
/** PostgreSQL's longest identifier, in bytes (NAMEDATALEN - 1). */
const MAX_CHANNEL_BYTES = 63;

/**
 * The NOTIFY channel of a topic. One per topic, so a publication reaches only the consumers of its
 * topic instead of waking every consumer process of the log. A name too long for a channel is replaced
 * by its hash.
 */
export function notifyChannel(topic: string): string {
  const channel = `${CHANNEL_PREFIX}${topic}`;
  if (Buffer.byteLength(channel) <= MAX_CHANNEL_BYTES) return channel;
  return `${CHANNEL_PREFIX}#${createHash('sha256').update(topic).digest('hex').slice(0, 40)}`;
}

/**
 * A notification's payload names the partition that received messages, `topic|partition`, so only that
 * partition's readers wake (a topic's other partitions have nothing new). A payload of a topic alone
 * wakes all its partitions.
 */
export function notifyPayload(topic: string, partition: number): string {
  return `${topic}|${partition}`;
}

/** The readers a notification with this payload is for: a topic's partition, or all of a topic's. */
export function notifiedReaders(payload: string): (unit: { topic: string; partition: number }) => boolean {
  const separator = payload.lastIndexOf('|');
  if (separator < 0) return (unit) => unit.topic === payload;
  const topic = payload.slice(0, separator);
  const partition = Number(payload.slice(separator + 1));
  return (unit) => unit.partition === partition && unit.topic === topic;
}

export interface OwnershipSettings {
  /** How often an instance counts its group's members and takes or gives up partitions. */
  rebalanceIntervalMs: number;
  /** Pause after losing the session before connecting again. */
  reconnectDelayMs: number;
}

/** A consumer of the message log; `owned()` tells which partitions this instance reads now. */
export interface PostgresConsumer extends Consumer {
  owned(): string[];
}

export interface LogConsumerOptions {
  url: string;
  pool: Pool;
  partitions: number;
  consume: ConsumeOptions;
  settings: WorkerSettings & OwnershipSettings;
  logger: Logger | undefined;
}

/**
 * One instance's membership in a consumer group of the message log.
 *
 * Ownership: each (group, topic, partition) has an exclusive session-level advisory lock; an instance
 * reads only partitions whose lock it holds, on a dedicated connection, so when the process dies the
 * server releases them at once and the others take them over. Members of a group each hold a shared
 * lock on the group; counting its holders gives the member count, and each instance aims at
 * ceil(partitions / members), giving up the excess (after the message in flight) and taking free
 * ones. The same connection LISTENs to its topics' channels, to wake the readers of a partition.
 */
export async function startLogConsumer(options: LogConsumerOptions): Promise<PostgresConsumer> {
  const consumer = new LogConsumer(options);
  await consumer.start();
  return consumer;
}

class LogConsumer implements PostgresConsumer {
  readonly #options: LogConsumerOptions;
  readonly #units: PartitionUnit[];
  readonly #workers = new Map<string, PartitionWorker>();
  readonly #semaphore: Semaphore;
  readonly #stopping = new AbortController();
  readonly #tick = new Signal();
  #session: pg.Client | undefined;
  #lost: Error | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: LogConsumerOptions) {
    this.#options = options;
    const { group, topics } = options.consume;
    this.#units = topics.flatMap((topic) =>
      Array.from({ length: options.partitions }, (_, partition) => ({ group, topic, partition })),
    );
    this.#semaphore = createSemaphore(options.consume.concurrency);
  }

  async start(): Promise<void> {
    await this.#createPositions();
    await this.#connect();
    await this.#rebalance();
    this.#loop = this.#maintain();
  }

  owned(): string[] {
    return [...this.#workers.keys()].sort();
  }

  async stop(): Promise<void> {
    if (this.#stopping.signal.aborted) return this.#loop;
    this.#stopping.abort();
    this.#tick.notify();
    await this.#loop;
    await this.#dropSession();
  }

  /**
   * A group that has never consumed a partition starts at "now": after the last message committed
   * in it, so every message committed after this call is delivered to it (a publisher still in
   * flight takes its positions after those, having waited for the partition's lock). Positions of all
   * partitions are created up front, so none depends on an owner existing.
   */
  async #createPositions(): Promise<void> {
    const { pool, consume, partitions } = this.#options;
    await pool.query(
      `INSERT INTO message_log_positions (consumer_group, topic, partition, position)
       SELECT $1, t.topic, p.partition,
         coalesce((SELECT max(m.position) FROM message_log m WHERE m.topic = t.topic AND m.partition = p.partition), 0)
       FROM unnest($2::text[]) AS t (topic) CROSS JOIN generate_series(0, $3 - 1) AS p (partition)
       ON CONFLICT DO NOTHING`,
      [consume.group, consume.topics, partitions],
    );
  }

  async #connect(): Promise<void> {
    const { url, consume } = this.#options;
    const session = new pg.Client({ connectionString: url, application_name: `message-log/${consume.group}` });
    const onLost = (error: Error): void => {
      if (this.#session !== session || this.#stopping.signal.aborted) return;
      this.#lost = error;
      this.#tick.notify();
    };
    session.on('error', onLost);
    session.on('end', () => onLost(new Error('message log session ended')));
    session.on('notification', (notification) => {
      // Parsed once per notification, not once per reader.
      const isNotified = notifiedReaders(notification.payload ?? '');
      for (const worker of this.#workers.values()) {
        if (isNotified(worker.unit)) worker.wake();
      }
    });
    try {
      await session.connect();
      const channels = [...new Set(consume.topics.map(notifyChannel))];
      await session.query(channels.map((channel) => `LISTEN ${pg.escapeIdentifier(channel)}`).join('; '));
      await session.query('SELECT pg_advisory_lock_shared($1, $2)', [LockNamespace.member, lockKey(consume.group)]);
    } catch (error) {
      await session.end().catch(() => undefined);
      throw error;
    }
    this.#lost = undefined;
    this.#session = session;
  }

  async #maintain(): Promise<void> {
    const { settings, logger, consume } = this.#options;
    while (!this.#stopping.signal.aborted) {
      await this.#tick.wait(settings.rebalanceIntervalMs);
      if (this.#isStopping()) return;
      try {
        if (this.#lost) throw this.#lost;
        if (!this.#session) await this.#connect();
        await this.#rebalance();
      } catch (error) {
        logger?.warn({ err: error, group: consume.group }, 'message log consumer lost its session; reconnecting');
        await this.#dropSession();
        await sleep(settings.reconnectDelayMs, this.#stopping.signal);
      }
    }
  }

  /** A method, so the compiler does not assume it unchanged across an await. */
  #isStopping(): boolean {
    return this.#stopping.signal.aborted;
  }

  async #rebalance(): Promise<void> {
    const session = this.#session;
    if (!session) return;
    const group = this.#options.consume.group;
    const { rows } = await session.query<{ members: number }>(
      `SELECT count(*)::int AS members FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND objsubid = 2
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND classid = $1::int8::oid AND objid = $2::int8::oid`,
      [unsignedKey(LockNamespace.member), unsignedKey(lockKey(group))],
    );
    const members = Math.max(1, rows[0]?.members ?? 1);
    const target = Math.ceil(this.#units.length / members);
    if (this.#workers.size > target) {
      const excess = [...this.#workers.values()].slice(target);
      await Promise.all(excess.map((worker) => worker.stop()));
      for (const worker of excess) {
        this.#workers.delete(unitId(worker.unit));
        await session.query('SELECT pg_advisory_unlock($1, $2)', [LockNamespace.partition, partitionKey(worker.unit)]);
      }
      return;
    }
    if (this.#workers.size === target) return;
    const taken = await session.query<{ objid: string }>(
      `SELECT objid::int8::text AS objid FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND pid <> pg_backend_pid()
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND classid = $1::int8::oid`,
      [unsignedKey(LockNamespace.partition)],
    );
    const elsewhere = new Set(taken.rows.map((row) => Number(row.objid)));
    const free = this.#units.filter(
      (unit) => !this.#workers.has(unitId(unit)) && !elsewhere.has(unsignedKey(partitionKey(unit))),
    );
    // Start at a random point, so instances joining together do not race for the same partitions.
    const offset = Math.floor(Math.random() * free.length);
    for (const unit of [...free.slice(offset), ...free.slice(0, offset)]) {
      if (this.#workers.size >= target || this.#stopping.signal.aborted) break;
      const locked = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
        LockNamespace.partition,
        partitionKey(unit),
      ]);
      if (locked.rows[0]?.locked !== true) continue;
      const worker = new PartitionWorker(unit, {
        pool: this.#options.pool,
        settings: this.#options.settings,
        semaphore: this.#semaphore,
        handle: this.#options.consume.handle,
        logger: this.#options.logger,
      });
      this.#workers.set(unitId(unit), worker);
      worker.start();
    }
  }

  /** Stops every worker (each finishes its delivery in flight), then closes the session, releasing every lock. */
  async #dropSession(): Promise<void> {
    const workers = [...this.#workers.values()];
    this.#workers.clear();
    await Promise.all(workers.map((worker) => worker.stop()));
    const session = this.#session;
    this.#session = undefined;
    this.#lost = undefined;
    await session?.end().catch(() => undefined);
  }
}

function unitId(unit: PartitionUnit): string {
  return `${unit.topic}/${unit.partition}`;
}

function partitionKey(unit: PartitionUnit): number {
  return lockKey(unit.group, unit.topic, unit.partition);
}
