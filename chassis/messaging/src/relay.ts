import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { Pool, PoolClient } from '@talad/pg';
import { getTracer, type Logger } from '@talad/service';
import type { MessagingMetrics } from './metrics.ts';
import { Signal, sleep } from './signal.ts';
import { contextFromTraceparent, formatTraceparent } from './trace-context.ts';
import type { Transport, TransportMessage } from './transport.ts';

/*
 * Why delete-on-publish and not a cursor over transaction ids.
 *
 * The classic outbox bug: a sequence number is taken at insert but becomes visible at commit, so a
 * relay that remembers "published up to 102" skips 101 when its transaction commits last. There are
 * two cures (shared/CONSISTENCY.md): a cursor over (xid8, seq) that reads only rows of transactions
 * older than the snapshot's xmin, or no cursor at all. This relay has no cursor: it reads whatever
 * rows are committed, in seq order, publishes them and then deletes exactly those rows. A row that
 * commits late is simply still there at the next read; nothing can be skipped.
 *
 * The xmin cursor was measured and rejected: pg_snapshot_xmin is cluster-wide, so in the embedded
 * topology (every service's database and the message log on one PostgreSQL server) any transaction
 * open in any database (a handler waiting on a slow call, a seed) holds back every relay. Here a
 * relay waits for nothing but its own rows. The costs: a DELETE per batch (which the cursor design
 * needed too, to keep the table small; it rides in the same round trip as the next read), and
 * late-committing rows go out after rows with a higher seq that committed earlier, which is commit
 * order, the order their effects became real.
 *
 * Why the writer wakes the relay and not a trigger. A NOTIFY inside the writing transaction would be
 * free to write, but PostgreSQL commits notifying transactions one at a time under a cluster-wide lock,
 * disk flush included: every service's outbox writes (and, in the embedded topology, every other
 * database's) would queue behind one another, one flush each, instead of sharing flushes. So the
 * writer wakes the relay itself after its commit: in-process when the relay is active here, else with
 * a NOTIFY from a transaction of its own that does not wait for the flush (at most one per 5 ms).
 * Writes that do not go through `messaging.transaction` (or a handler) are picked up by the poll.
 */

export type RelayState = 'stopped' | 'standby' | 'active';

export interface RelaySettings {
  /** Messages read and published per round trip. */
  batchSize: number;
  /** Backstop poll when no commit notification arrives. */
  pollIntervalMs: number;
  /** How often a standby relay tries to take over. */
  standbyRetryMs: number;
  /** Pause after losing the database session before connecting again. */
  reconnectDelayMs: number;
  /** Longest pause between attempts while the broker refuses messages. */
  maxBrokerBackoffMs: number;
}

export const DEFAULT_RELAY_SETTINGS: RelaySettings = {
  batchSize: 200,
  pollIntervalMs: 1_000,
  standbyRetryMs: 1_000,
  reconnectDelayMs: 2_000,
  maxBrokerBackoffMs: 5_000,
};

export interface Relay {
  /** `active` in the one instance that holds the lock and publishes; `standby` in the others. */
  readonly state: RelayState;
  /** Starts the loop: it becomes active if no other instance's relay is, else waits as a standby. */
  start(): void;
  /**
   * Looks at the outbox now, instead of at the next notification or poll: call after a commit that wrote
   * to it. When the active relay runs in another instance, notifies that one.
   */
  wake(): void;
  /** Finishes the batch in flight (published, confirmed and deleted), then releases the lock. */
  stop(): Promise<void>;
}

export interface RelayOptions {
  service: string;
  pool: Pool;
  transport: Transport;
  metrics: MessagingMetrics;
  logger: Logger;
  settings?: Partial<RelaySettings>;
}

// A session-level advisory lock: held while the relay's connection lives, released by the server
// the moment that connection dies, so a standby takes over without any lease to expire.
const RELAY_LOCK = [7_201_978, 1] as const;
const NOTIFY_CHANNEL = 'talad_outbox';
// Each NOTIFY takes PostgreSQL's cluster-wide notify lock for a moment; a relay woken more often than this
// would not publish any sooner, as it reads everything committed each time.
const NOTIFY_INTERVAL_MS = 5;

interface OutboxRecord {
  seq: number;
  id: string;
  topic: string;
  key: string;
  type: string;
  body: Buffer;
}

/** Set by the session's error event, which arrives outside any query. */
interface SessionHealth {
  lost: Error | undefined;
}

/**
 * The outbox relay: one active per service (a standby in every other instance), publishing committed
 * outbox rows through the transport in seq order and deleting them once confirmed. Woken by `wake()` after
 * a commit (in-process, or by a NOTIFY from another instance), polled as a backstop. Each message gets a
 * PRODUCER span, child of the span that wrote it, and the envelope's
 * `traceparent` is rewritten to that span so the consumer's span hangs below it.
 *
 * @example
 * const relay = createRelay({ service: 'ordering', pool, transport, metrics, logger });
 * relay.start();
 * // ... after a transaction that wrote to the outbox commits:
 * relay.wake();
 */
export function createRelay(options: RelayOptions): Relay {
  const settings: RelaySettings = { ...DEFAULT_RELAY_SETTINGS, ...options.settings };
  const { pool, transport, metrics, logger } = options;
  const signal = new Signal();
  const stopping = new AbortController();
  // A function, so the compiler does not assume the flag unchanged across an await.
  const isStopping = (): boolean => stopping.signal.aborted;
  let state: RelayState = 'stopped';
  let loop: Promise<void> | undefined;

  // Wake-ups for another instance's relay: at most one NOTIFY per interval, the wakes meanwhile folded
  // into the next one (a wake never goes unsent: one that comes while a NOTIFY is on its way sends another).
  let wakePending = false;
  let notifying = false;
  let lastNotifiedAt = Number.NEGATIVE_INFINITY;

  /** A NOTIFY for the active relay of another instance; its commit need not wait for the disk. */
  const notifyActiveRelay = (): void => {
    wakePending = true;
    if (notifying) return;
    notifying = true;
    const wait = Math.max(0, lastNotifiedAt + NOTIFY_INTERVAL_MS - performance.now());
    setTimeout(() => {
      wakePending = false;
      lastNotifiedAt = performance.now();
      pool
        .query(`SET LOCAL synchronous_commit = off; SELECT pg_notify('${NOTIFY_CHANNEL}', '')`)
        .catch((error: unknown) => logger.debug({ err: error }, 'could not notify the active outbox relay'))
        .finally(() => {
          notifying = false;
          if (wakePending) notifyActiveRelay();
        });
    }, wait).unref();
  };

  const setState = (next: RelayState): void => {
    state = next;
    metrics.relayActive.set(next === 'active' ? 1 : 0);
  };

  async function run(): Promise<void> {
    while (!stopping.signal.aborted) {
      let session: PoolClient | undefined;
      const health: SessionHealth = { lost: undefined };
      try {
        session = await pool.connect();
        session.on('error', (error: Error) => {
          health.lost = error;
          signal.notify();
        });
        session.on('notification', () => signal.notify());
        await session.query(`SELECT set_config('application_name', $1, false)`, [`${options.service}/outbox-relay`]);
        // The relay only deletes rows the broker confirmed: a delete lost with a crash of the database
        // server publishes them again, and inboxes drop the duplicates. So its commits need not wait for
        // the disk (the session is destroyed afterwards, never reused).
        await session.query('SET synchronous_commit = off');
        setState('standby');
        while (!(await tryLock(session))) {
          if (!(await sleep(settings.standbyRetryMs, stopping.signal))) return;
        }
        if (health.lost) throw health.lost;
        setState('active');
        logger.info('outbox relay active');
        await session.query(`LISTEN ${NOTIFY_CHANNEL}`);
        await publishUntilStopped(session, health);
      } catch (error) {
        if (!isStopping()) logger.warn({ err: error }, 'outbox relay lost its database session; reconnecting');
      } finally {
        if (state === 'active') logger.info('outbox relay no longer active');
        setState('stopped');
        // Destroyed, never returned to the pool: closing the session releases the lock and the LISTEN.
        session?.release(true);
      }
      if (!isStopping()) await sleep(settings.reconnectDelayMs, stopping.signal);
    }
  }

  async function tryLock(session: PoolClient): Promise<boolean> {
    const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
      ...RELAY_LOCK,
    ]);
    return rows[0]?.locked === true;
  }

  async function publishUntilStopped(session: PoolClient, health: SessionHealth): Promise<void> {
    let brokerFailures = 0;
    // Rows the broker has confirmed, deleted by the next read (or on the way out).
    let confirmed: number[] = [];
    while (!stopping.signal.aborted) {
      if (health.lost) throw health.lost;
      const rows = await deleteAndRead(session, confirmed);
      confirmed = [];
      if (rows.length === 0) {
        await signal.wait(settings.pollIntervalMs);
        continue;
      }
      try {
        await publish(rows);
        brokerFailures = 0;
      } catch (error) {
        brokerFailures += 1;
        const delay = Math.min(settings.maxBrokerBackoffMs, 100 * 2 ** Math.min(brokerFailures, 10));
        logger.warn(
          { err: error, attempt: brokerFailures, retryInMs: delay },
          'broker refused the outbox batch; retrying',
        );
        await sleep(delay, stopping.signal);
        continue;
      }
      // Deleted only now, with the broker's confirmation: if the process dies before the delete, the batch
      // is published again by whichever relay is active next, and consumers' inboxes drop the duplicates.
      confirmed = rows.map((row) => row.seq);
    }
    if (confirmed.length > 0) {
      await session.query('DELETE FROM outbox WHERE seq = ANY($1::bigint[])', [confirmed]);
    }
  }

  /**
   * Deletes the rows of the last confirmed batch and reads the next batch, in one round trip. The read
   * sees the table as it was before the delete, hence the filter.
   */
  async function deleteAndRead(session: PoolClient, confirmed: readonly number[]): Promise<OutboxRecord[]> {
    const { rows } = await session.query<OutboxRecord>(
      `WITH confirmed AS (DELETE FROM outbox WHERE seq = ANY($1::bigint[]))
       SELECT seq, id, topic, key, type, body FROM outbox WHERE seq <> ALL($1::bigint[]) ORDER BY seq LIMIT $2`,
      [confirmed, settings.batchSize],
    );
    return rows;
  }

  async function publish(records: readonly OutboxRecord[]): Promise<void> {
    const spans: Span[] = [];
    const messages: TransportMessage[] = records.map((record) => {
      const { body, span } = traced(record);
      spans.push(span);
      return { id: record.id, topic: record.topic, key: record.key, body };
    });
    try {
      await transport.publish(messages);
    } catch (error) {
      for (const span of spans) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      throw error;
    }
    for (const span of spans) span.end();
    for (const record of records) metrics.published.inc({ topic: record.topic, type: record.type });
  }

  return {
    get state() {
      return state;
    },
    start() {
      loop ??= run().catch((error: unknown) => logger.error({ err: error }, 'outbox relay stopped unexpectedly'));
    },
    wake() {
      if (state === 'active') signal.notify();
      else notifyActiveRelay();
    },
    async stop() {
      stopping.abort();
      signal.notify();
      await loop;
    },
  };
}

const TRACEPARENT_FIELD = /"traceparent":"(00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})"/;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Starts the PRODUCER span of one message, child of the span that wrote it to the outbox, and points
 * the envelope's `traceparent` at it. The body is edited as text, not re-serialized, and only when the
 * span is recorded: without tracing the bytes go out exactly as written.
 */
function traced(record: OutboxRecord): { body: Uint8Array; span: Span } {
  const text = decoder.decode(record.body);
  const written = TRACEPARENT_FIELD.exec(text);
  const span = getTracer().startSpan(
    `${record.topic} publish`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.operation.type': 'send',
        'messaging.destination.name': record.topic,
        'messaging.message.id': record.id,
        'cloudevents.event_type': record.type,
      },
    },
    contextFromTraceparent(written?.[1]),
  );
  const traceparent = span.isRecording() ? formatTraceparent(span.spanContext()) : undefined;
  if (!traceparent) return { body: record.body, span };
  const field = `"traceparent":"${traceparent}"`;
  if (written) return { body: encoder.encode(text.replace(written[0], field)), span };
  if (text.startsWith('{"')) return { body: encoder.encode(`{${field},${text.slice(1)}`), span };
  return { body: record.body, span };
}
