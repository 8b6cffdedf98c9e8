import { DEFAULT_PARTITIONS, partitionOf, sqlLiteral, type ConsumeOptions, type Transport } from '@talad/messaging';
import { createPool, withTransaction, type Pool } from '@talad/pg';
import type { Logger } from '@talad/service';
import { LockNamespace, lockKey } from './advisory-locks.ts';
import {
  notifyChannel,
  notifyPayload,
  startLogConsumer,
  type OwnershipSettings,
  type PostgresConsumer,
} from './log-consumer.ts';
import type { WorkerSettings } from './partition-worker.ts';
import { prepareMessageLog } from './schema.ts';

export interface PostgresTransportOptions {
  /** The message log's own database (in the embedded topology, `messaging`), never a service's. */
  url: string;
  /** Partitions per topic; fixed when the log is first created. Defaults to `DEFAULT_PARTITIONS`. */
  partitions?: number;
  logger?: Logger;
  /** Connections for publishing and reading; each consumer also holds one dedicated session. */
  poolSize?: number;
  /** Messages read per partition per query. */
  batchSize?: number;
  /**
   * Backstop poll of a partition read to its end, in case a NOTIFY was lost: first after this long, then
   * twice as long each time it finds nothing, up to `maxPollIntervalMs`.
   */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  rebalanceIntervalMs?: number;
  reconnectDelayMs?: number;
  redeliveryDelayMs?: number;
  maxRedeliveryDelayMs?: number;
  /** Messages every group has passed are kept this long (for inspection), then deleted. */
  retentionMs?: number;
  /** Messages older than this are deleted even if a group has not read them (a group no one runs any more). */
  maxRetentionMs?: number;
  cleanupIntervalMs?: number;
}

/** The message log transport, plus what only it can do. */
export interface PostgresTransport extends Transport {
  consume(options: ConsumeOptions): Promise<PostgresConsumer>;
  /** Deletes messages past their retention; returns how many. Runs on a timer too. */
  cleanup(): Promise<number>;
}

const CLEANUP_BATCH = 5_000;

/*
 * Why readers never skip a message. Positions come from a sequence when a message is inserted, but a
 * message becomes visible when its transaction commits; two publishers of one partition could commit
 * in the opposite order of their positions, and a reader that has moved past the later position would
 * never see the earlier one. So publishers of a partition take turns: each holds the partition's
 * advisory lock from before it takes positions until its commit (PostgreSQL releases a transaction's
 * locks only after its commit is visible). Within a partition, positions are therefore visible in
 * order, and a reader's "after the last position I handled" is exact.
 *
 * The alternative, reading only rows of transactions older than pg_snapshot_xmin (as an outbox relay
 * can), was measured and rejected: xmin is cluster-wide, and in the embedded topology the services'
 * databases share the server with the log, so any transaction open anywhere (a handler waiting on a
 * slow call) would stall every reader. Taking turns costs only the publishers of the same partition,
 * for the length of one short INSERT and commit.
 *
 * Why the NOTIFY that wakes readers is not part of the publishing transaction. PostgreSQL commits
 * notifying transactions one at a time under a cluster-wide lock, disk flush included, so publishes (and
 * every other database's notifying commits) would stop sharing flushes. Sent from a transaction of its
 * own with synchronous_commit off, it holds that lock only briefly, and nothing in it needs to be durable:
 * a NOTIFY that is lost is made up for by the readers' poll.
 */

/**
 * The PostgreSQL message log: the `Transport` of the embedded topology, a broker made of tables in its
 * own database. Publishing is one short transaction (durable once it returns); each consumer group
 * keeps a position per partition; partitions are spread over a group's instances by advisory locks;
 * LISTEN/NOTIFY wakes readers at once, with a polling backstop. The schema is created on first use.
 *
 * @example
 * const transport = createPostgresTransport({ url: 'postgres://talad@127.0.0.1:5433/messaging' });
 * const consumer = await transport.consume({ group: 'basket', topics: ['ordering.events'], concurrency: 8, handle });
 * await transport.publish([{ id, topic: 'ordering.events', key: orderId, body }]);
 */
export function createPostgresTransport(options: PostgresTransportOptions): PostgresTransport {
  const partitions = options.partitions ?? DEFAULT_PARTITIONS;
  if (!Number.isInteger(partitions) || partitions < 1)
    throw new Error(`partitions must be a positive integer, got ${partitions}`);
  const logger = options.logger;
  const settings: WorkerSettings & OwnershipSettings = {
    batchSize: options.batchSize ?? 100,
    pollIntervalMs: options.pollIntervalMs ?? 500,
    maxPollIntervalMs: options.maxPollIntervalMs ?? Math.max(8_000, options.pollIntervalMs ?? 0),
    rebalanceIntervalMs: options.rebalanceIntervalMs ?? 1_000,
    reconnectDelayMs: options.reconnectDelayMs ?? 1_000,
    redeliveryDelayMs: options.redeliveryDelayMs ?? 100,
    maxRedeliveryDelayMs: options.maxRedeliveryDelayMs ?? 5_000,
  };
  const retentionSeconds = (options.retentionMs ?? 60 * 60_000) / 1000;
  const maxRetentionSeconds = (options.maxRetentionMs ?? 7 * 24 * 60 * 60_000) / 1000;
  const pool: Pool = createPool({
    connectionString: options.url,
    applicationName: 'message-log',
    max: options.poolSize ?? 10,
  });
  const consumers = new Set<PostgresConsumer>();
  let prepared: Promise<void> | undefined;
  let cleanupTimer: NodeJS.Timeout | undefined;
  let closed = false;

  /** Creates the schema once; a failure is not remembered, so the next call tries again. */
  async function ready(): Promise<void> {
    prepared ??= prepareMessageLog(pool, partitions).catch((error: unknown) => {
      prepared = undefined;
      throw error;
    });
    await prepared;
    if (!cleanupTimer && !closed) {
      cleanupTimer = setInterval(() => {
        cleanup().catch((error: unknown) => logger?.warn({ err: error }, 'message log cleanup failed'));
      }, options.cleanupIntervalMs ?? 60_000);
      cleanupTimer.unref();
    }
  }

  async function cleanup(): Promise<number> {
    await ready();
    let deleted = 0;
    for (;;) {
      const count = await withTransaction(pool, async (tx) => {
        // One instance at a time; the others skip this round.
        const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, 0) AS locked', [
          LockNamespace.cleanup,
        ]);
        if (rows[0]?.locked !== true) return 0;
        const result = await tx.query(
          `WITH floor AS (
             SELECT topic, partition, min(position) AS position FROM message_log_positions GROUP BY topic, partition
           ), doomed AS (
             SELECT m.ctid FROM message_log m
             LEFT JOIN floor f ON f.topic = m.topic AND f.partition = m.partition
             WHERE m.published_at < now() - make_interval(secs => $2)
                OR (m.published_at < now() - make_interval(secs => $1) AND (f.topic IS NULL OR m.position <= f.position))
             LIMIT $3
           )
           DELETE FROM message_log WHERE ctid IN (SELECT ctid FROM doomed)`,
          [retentionSeconds, maxRetentionSeconds, CLEANUP_BATCH],
        );
        return result.rowCount ?? 0;
      });
      deleted += count;
      if (count < CLEANUP_BATCH) return deleted;
    }
  }

  return {
    kind: 'postgres',
    partitions,

    async publish(messages) {
      if (messages.length === 0) return;
      await ready();
      const partitionOfMessage = messages.map((message) => partitionOf(message.key, partitions));
      // Locks in one global order (sorted keys), so two publishers can never wait on each other.
      const locks = [
        ...new Set(messages.map((message, index) => lockKey(message.topic, partitionOfMessage[index] ?? 0))),
      ].sort((a, b) => a - b);
      const values = messages.map(
        (message, index) =>
          `(${sqlLiteral(message.topic)}, ${partitionOfMessage[index] ?? 0}, ${sqlLiteral(message.id)}, ` +
          `${sqlLiteral(message.key)}, ${sqlLiteral(message.body)})`,
      );
      const notifications = new Map<string, string>();
      messages.forEach((message, index) => {
        const payload = notifyPayload(message.topic, partitionOfMessage[index] ?? 0);
        notifications.set(payload, `pg_notify(${sqlLiteral(notifyChannel(message.topic))}, ${sqlLiteral(payload)})`);
      });
      // One round trip: take the partitions' turns, insert (positions follow the array order), commit; then
      // wake the readers from a transaction of its own (see the header).
      await inOneRoundTrip(
        pool,
        `BEGIN;
         SELECT pg_advisory_xact_lock(${LockNamespace.publish}, key) FROM unnest('{${locks.join(',')}}'::int[]) AS key;
         INSERT INTO message_log (topic, partition, id, key, body) VALUES ${values.join(', ')}
           ON CONFLICT (topic, id) DO NOTHING;
         COMMIT;
         SET LOCAL synchronous_commit = off;
         SELECT ${[...notifications.values()].join(', ')}`,
      );
    },

    async consume(consume) {
      if (closed) throw new Error('the transport is closed');
      if (consume.topics.length === 0) throw new Error(`consumer group ${consume.group} subscribes to no topic`);
      await ready();
      const consumer = await startLogConsumer({ url: options.url, pool, partitions, consume, settings, logger });
      consumers.add(consumer);
      return {
        owned: () => consumer.owned(),
        stop: async () => {
          consumers.delete(consumer);
          await consumer.stop();
        },
      };
    },

    async ping() {
      await pool.query('SELECT 1');
    },

    cleanup,

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(cleanupTimer);
      await Promise.all([...consumers].map((consumer) => consumer.stop()));
      consumers.clear();
      await pool.end();
    },
  };
}

/**
 * Runs statements (their own BEGIN/COMMIT included) as one simple query: one round trip. If one fails, the
 * rest are skipped and an open transaction is rolled back before the connection goes back to the pool.
 */
async function inOneRoundTrip(pool: Pool, statements: string): Promise<void> {
  const client = await pool.connect();
  const ignore = (): void => undefined;
  client.on('error', ignore);
  let broken = false;
  try {
    await client.query(statements);
  } catch (error) {
    broken = !(await client.query('ROLLBACK').then(
      () => true,
      () => false,
    ));
    throw error;
  } finally {
    client.removeListener('error', ignore);
    client.release(broken);
  }
}
