import { Signal, sleep, sqlLiteral, type Delivery, type Semaphore } from '@talad/messaging';
import type { Pool } from '@talad/pg';
import type { Logger } from '@talad/service';

/** One partition of one topic, as seen by one consumer group. */
export interface PartitionUnit {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
}

export interface WorkerSettings {
  batchSize: number;
  /** First backstop poll of a partition read to its end; doubles while polls find nothing. */
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  /** First pause before redelivering a rejected message; doubles up to the maximum. */
  redeliveryDelayMs: number;
  maxRedeliveryDelayMs: number;
}

export interface WorkerContext {
  readonly pool: Pool;
  readonly settings: WorkerSettings;
  readonly semaphore: Semaphore;
  readonly handle: (delivery: Delivery) => Promise<void>;
  readonly logger: Logger | undefined;
}

interface LogRow {
  position: number;
  id: string;
  key: string;
  body: Buffer;
}

/**
 * Delivers one owned partition, one message at a time and in order. The group's position moves only
 * over messages whose `handle` resolved (saved with the next read, and when the partition is given up);
 * a rejected message is delivered again, after a growing pause, before
 * anything later in the partition. Publishers of a partition commit in position order (see
 * postgres-transport.ts), so reading past the last position seen never skips a message.
 */
export class PartitionWorker {
  readonly unit: PartitionUnit;
  readonly #context: WorkerContext;
  readonly #stopping = new AbortController();
  readonly #published = new Signal();
  #running: Promise<void> | undefined;

  constructor(unit: PartitionUnit, context: WorkerContext) {
    this.unit = unit;
    this.#context = context;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** Looks for new messages now: called when something was published to the worker's topic. */
  wake(): void {
    this.#published.notify();
  }

  /** Stops after the delivery in flight (if any) has finished and its position is saved. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#published.notify();
    await this.#running;
  }

  async #run(): Promise<void> {
    const { settings, logger } = this.#context;
    const stopping = this.#stopping.signal;
    let failures = 0;
    let position: number | undefined;
    // The position of the last handled message, once it is past the saved one. Saved with the next read
    // (and before giving the partition up) rather than per message: a crash redelivers at most one batch
    // of handled messages, which the inboxes drop.
    let unsaved: number | undefined;
    // After a short batch the partition is read to its end: nothing more is read until a publication
    // wakes the worker or the backstop poll comes, which waits longer each time it finds nothing. A
    // publication's NOTIFY is lost only if its publisher dies between commit and notify.
    let caughtUp = false;
    let idlePollMs = settings.pollIntervalMs;
    try {
      while (!stopping.aborted) {
        try {
          if (caughtUp) {
            await this.#published.wait(idlePollMs);
            if (this.#isStopping()) return;
          }
          position ??= await this.#loadPosition();
          const ready = await this.#saveAndRead(unsaved, position);
          unsaved = undefined;
          failures = 0;
          caughtUp = ready.length < settings.batchSize;
          idlePollMs =
            ready.length === 0 ? Math.min(settings.maxPollIntervalMs, idlePollMs * 2) : settings.pollIntervalMs;
          for (const row of ready) {
            if (!(await this.#deliver(row))) return;
            position = row.position;
            unsaved = position;
            if (this.#isStopping()) return;
          }
        } catch (error) {
          failures += 1;
          caughtUp = false;
          logger?.warn({ err: error, ...this.unit }, 'message log partition read failed; retrying');
          await sleep(Math.min(5_000, 100 * 2 ** Math.min(failures, 6)), stopping);
        }
      }
    } finally {
      if (unsaved !== undefined) await this.#savePosition(unsaved);
    }
  }

  /** A method, so the compiler does not assume it unchanged across an await. */
  #isStopping(): boolean {
    return this.#stopping.signal.aborted;
  }

  /** Resolves true once handled; false if stopped before that (the message will be delivered again). */
  async #deliver(row: LogRow): Promise<boolean> {
    const { semaphore, handle, settings, logger } = this.#context;
    const stopping = this.#stopping.signal;
    const delivery: Delivery = {
      message: { id: row.id, topic: this.unit.topic, key: row.key, body: row.body },
      partition: this.unit.partition,
      deliveryAttempt: 1,
    };
    for (let attempt = 1; ; attempt++) {
      const release = await semaphore.acquire(stopping);
      if (!release) return false;
      try {
        await handle({ ...delivery, deliveryAttempt: attempt });
        return true;
      } catch (error) {
        logger?.debug({ err: error, ...this.unit, messageId: row.id, attempt }, 'delivery rejected; will redeliver');
      } finally {
        release();
      }
      const delay = Math.min(settings.maxRedeliveryDelayMs, settings.redeliveryDelayMs * 2 ** (attempt - 1));
      if (!(await sleep(delay, stopping))) return false;
    }
  }

  async #loadPosition(): Promise<number> {
    const { rows } = await this.#context.pool.query<{ position: number }>(
      'SELECT position FROM message_log_positions WHERE consumer_group = $1 AND topic = $2 AND partition = $3',
      [this.unit.group, this.unit.topic, this.unit.partition],
    );
    const row = rows[0];
    if (!row) throw new Error(`no position for ${this.unit.group} on ${this.unit.topic}/${this.unit.partition}`);
    return row.position;
  }

  /**
   * Saves `handled` as the group's position (when given), and reads the next batch after `after`, in one
   * round trip. The save does not wait for the disk: a position lost with a crash of the database server
   * only delivers handled messages again, which the inboxes drop.
   */
  async #saveAndRead(handled: number | undefined, after: number): Promise<LogRow[]> {
    const { group, topic, partition } = this.unit;
    const results = (await this.#context.pool.query(
      `SET LOCAL synchronous_commit = off;
       WITH saved AS (
         UPDATE message_log_positions SET position = ${sqlLiteral(handled ?? -1)}, moved_at = now()
         WHERE consumer_group = ${sqlLiteral(group)} AND topic = ${sqlLiteral(topic)}
           AND partition = ${sqlLiteral(partition)} AND position < ${sqlLiteral(handled ?? -1)}
       )
       SELECT position, id, key, body FROM message_log
       WHERE topic = ${sqlLiteral(topic)} AND partition = ${sqlLiteral(partition)} AND position > ${sqlLiteral(after)}
       ORDER BY position LIMIT ${sqlLiteral(this.#context.settings.batchSize)}`,
    )) as unknown as Array<{ rows: LogRow[] }>;
    return results.at(-1)?.rows ?? [];
  }

  async #savePosition(position: number): Promise<void> {
    // Forward only: an instance that lost this partition without noticing yet can never move it back.
    await this.#context.pool
      .query(
        `UPDATE message_log_positions SET position = $4, moved_at = now()
         WHERE consumer_group = $1 AND topic = $2 AND partition = $3 AND position < $4`,
        [this.unit.group, this.unit.topic, this.unit.partition, position],
      )
      .catch((error: unknown) => {
        // The message is handled; if the position is lost it is delivered again and the inbox drops it.
        this.#context.logger?.warn({ err: error, ...this.unit }, 'could not save the group position; continuing');
      });
  }
}
