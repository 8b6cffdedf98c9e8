import { withTransaction, type Pool, type PoolClient } from '@talad/pg';
import { START, type GlobalCursor, type RecordedEvent } from './events.ts';
import { startPollLoop, type PollLoop } from './poll-loop.ts';
import { readAll } from './read-all.ts';

/**
 * A read model built from events. `apply` writes through the transaction it is given, which also moves
 * the projection's checkpoint: an event's effect and "this event is done" commit together, so however
 * often events are replayed, crashes included, each one changes the read model once.
 */
export interface Projection {
  /** Names the checkpoint; two projections never share one. */
  readonly name: string;
  /** Only events of these types reach `apply`; all when omitted. */
  readonly types?: readonly string[];
  apply(tx: PoolClient, event: RecordedEvent): Promise<void>;
  /** Empties the read model (for a rebuild), in the transaction that also resets the checkpoint. */
  reset(tx: PoolClient): Promise<void>;
}

export interface ProjectionRunOptions {
  /** Events applied per transaction. Defaults to 200. */
  batchSize?: number;
}

/**
 * Applies the next batch of events after the projection's checkpoint, in one transaction with the new
 * checkpoint; answers how many were applied. Concurrent runs of one projection (two instances, or a
 * rebuild beside the live runner) take turns.
 */
export async function projectBatch(
  pool: Pool,
  projection: Projection,
  options: ProjectionRunOptions = {},
): Promise<number> {
  const limit = options.batchSize ?? 200;
  return withTransaction(pool, async (tx) => {
    // An advisory lock rather than FOR UPDATE on the checkpoint: a row lock would give this transaction
    // an id before it reads, and readAll sees only transactions older than every open one, this one included.
    await lockProjection(tx, projection.name);
    const after = await checkpointOf(tx, projection.name);
    const { events, cursor } = await readAll(tx, {
      after,
      limit,
      ...(projection.types ? { types: projection.types } : {}),
    });
    for (const event of events) await projection.apply(tx, event);
    if (events.length > 0) await saveCheckpoint(tx, projection.name, cursor);
    return events.length;
  });
}

/** Applies batches until none is left that is committed and visible; answers how many were applied. */
export async function catchUp(pool: Pool, projection: Projection, options: ProjectionRunOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 200;
  let total = 0;
  for (;;) {
    const applied = await projectBatch(pool, projection, { batchSize });
    total += applied;
    if (applied < batchSize) return total;
  }
}

/**
 * Throws the read model away and builds it again from the first event: the reset and the checkpoint's
 * return to the start commit together, then it catches up. Writes may go on meanwhile; a live runner of
 * the same projection simply continues from wherever the checkpoint is.
 */
export async function rebuildProjection(
  pool: Pool,
  projection: Projection,
  options: ProjectionRunOptions = {},
): Promise<number> {
  await withTransaction(pool, async (tx) => {
    await lockProjection(tx, projection.name);
    await projection.reset(tx);
    await tx.query('DELETE FROM projection_checkpoints WHERE projection = $1', [projection.name]);
  });
  return catchUp(pool, projection, options);
}

export interface ProjectionRunnerOptions extends ProjectionRunOptions {
  /** How often to look for new events when `wake()` is not called. Defaults to 500 ms. */
  pollIntervalMs?: number;
  /** A failed batch is reported and tried again after the poll interval (its transaction rolled back). */
  onError?: (error: unknown) => void;
}

/**
 * Keeps a projection up to date in the background.
 *
 * @example
 * const runner = startProjection(pool, orderSummaries, { onError: (err) => logger.warn({ err }, 'projection failed') });
 * onShutdown(() => runner.stop());
 */
export function startProjection(pool: Pool, projection: Projection, options: ProjectionRunnerOptions = {}): PollLoop {
  const batchSize = options.batchSize ?? 200;
  return startPollLoop({
    pollIntervalMs: options.pollIntervalMs ?? 500,
    onError: options.onError ?? (() => undefined),
    round: async () => (await projectBatch(pool, projection, { batchSize })) === batchSize,
  });
}

/** Where a projection has got to; the start when it has not run yet. */
export async function checkpointOf(db: PoolClient | Pool, name: string): Promise<GlobalCursor> {
  const { rows } = await db.query<{ txid: string; position: number }>(
    'SELECT txid::text AS txid, position FROM projection_checkpoints WHERE projection = $1',
    [name],
  );
  return rows[0] ?? START;
}

async function saveCheckpoint(tx: PoolClient, name: string, cursor: GlobalCursor): Promise<void> {
  await tx.query(
    `INSERT INTO projection_checkpoints (projection, txid, position) VALUES ($1, $2::text::xid8, $3)
     ON CONFLICT (projection) DO UPDATE SET txid = excluded.txid, position = excluded.position, updated_at = now()`,
    [name, cursor.txid, cursor.position],
  );
}

async function lockProjection(tx: PoolClient, name: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('talad-projection:' || $1, 0))", [name]);
}
