import { DEFAULT_PARTITIONS, partitionOf, type ConsumeOptions, type Transport } from '@talad/messaging';
import { createPool, type Pool } from '@talad/pg';
import type { Logger } from '@talad/service';
import { LockNamespace, lockKey } from './advisory-locks.ts';
import { NOTIFY_CHANNEL, startLogConsumer, type OwnershipSettings, type PostgresConsumer } from './log-consumer.ts';
import type { WorkerSettings } from './partition-worker.ts';
import { prepareMessageLog } from './schema.ts';
import { inTransaction } from './transaction.ts';

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
  /** Backstop poll of an idle partition when no NOTIFY arrives. */
  pollIntervalMs?: number;
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
      const count = await inTransaction(pool, async (tx) => {
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
      await inTransaction(pool, async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, key) FROM unnest($2::int[]) AS key', [
          LockNamespace.publish,
          locks,
        ]);
        // Positions follow the array order; the NOTIFY goes out at commit.
        await tx.query(
          `WITH inserted AS (
             INSERT INTO message_log (topic, partition, id, key, body)
             SELECT topic, partition, id, key, body
             FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::bytea[])
               WITH ORDINALITY AS m (topic, partition, id, key, body, n)
             ORDER BY n
             ON CONFLICT (topic, id) DO NOTHING
             RETURNING topic
           )
           SELECT pg_notify('${NOTIFY_CHANNEL}', topic) FROM (SELECT DISTINCT topic FROM inserted) AS topics`,
          [
            messages.map((message) => message.topic),
            partitionOfMessage,
            messages.map((message) => message.id),
            messages.map((message) => message.key),
            messages.map((message) =>
              Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength),
            ),
          ],
        );
      });
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
