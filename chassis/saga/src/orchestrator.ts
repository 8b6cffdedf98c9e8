import { systemClock, type Clock } from '@talad/core';
import type { IncomingMessage, Messaging } from '@talad/messaging';
import type { Pool, PoolClient, Queryable } from '@talad/pg';
import { createLogger, type Logger, type Registry } from '@talad/service';
import {
  eventDefinitionsOf,
  replyDefinitionsOf,
  type AnySagaDefinition,
  type EventDefinition,
  type ReplyDefinition,
  type SagaDefinition,
} from './definition.ts';
import { createSagaMetrics } from './metrics.ts';
import {
  startSnapshot,
  transition,
  type Phase,
  type SagaEvent,
  type SagaSnapshot,
  type SagaState,
  type StepState,
} from './state-machine.ts';

export interface SagaOrchestratorOptions {
  /** The service's own database, holding `saga_instances` and `saga_history` (see `migrateSaga`). */
  pool: Pool;
  /** The service's messaging: commands go through its outbox, replies come through its inbox. */
  messaging: Pick<Messaging, 'send' | 'subscribe' | 'transaction' | 'registry'>;
  clock?: Clock;
  logger?: Logger;
  /** Every definition, with every version that may still have running instances. */
  definitions: readonly AnySagaDefinition[];
  /** Defaults to the messaging's registry. */
  registry?: Registry;
  /** Consumer group of the replies and of the events waiting steps wait for; defaults to the service's own group. */
  group?: string;
  /** How often `startSweeper` looks for expired deadlines. Defaults to 1 s. */
  sweepIntervalMs?: number;
}

export interface SagaStepView {
  readonly name: string;
  readonly state: StepState;
}

export interface SagaHistoryEntry {
  readonly at: string;
  /** `command` sent, `reply` accepted, `event` accepted by a waiting step, `timeout` of what was awaited, `abort` requested. */
  readonly kind: 'command' | 'reply' | 'event' | 'timeout' | 'abort';
  readonly step: string;
  readonly phase: Phase;
  readonly messageType: string | null;
  readonly messageId: string | null;
  /** An abort's reason; a resent command's attempt. */
  readonly detail: string | null;
}

export interface SagaInstanceSummary {
  readonly sagaId: string;
  readonly definition: string;
  readonly version: number;
  readonly state: SagaState;
  readonly data: unknown;
  /** Why the saga compensates (or compensated); null while all goes well. */
  readonly reason: string | null;
  readonly steps: readonly SagaStepView[];
  /**
   * What the saga waits for and until when; null once the saga ended. In phase `event` nothing is in
   * flight (`requestId` null) and the deadline is null when the step waits as long as it takes.
   */
  readonly awaiting: {
    readonly step: string;
    readonly phase: Phase;
    readonly requestId: string | null;
    readonly attempt: number;
    readonly deadlineAt: string | null;
  } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface SagaInstanceView extends SagaInstanceSummary {
  readonly history: readonly SagaHistoryEntry[];
}

export interface SagaOrchestrator {
  /**
   * Starts an instance in the caller's transaction, on the newest version of the definition: the row,
   * and the first step's command in the outbox, commit with the caller's own changes.
   */
  start(tx: Queryable, name: string, sagaId: string, data: unknown): Promise<void>;
  /**
   * Subscribes to every reply of every definition, and to the events its waiting steps wait for; call
   * before `messaging.start()`.
   */
  subscribe(): void;
  /**
   * Asks a running saga to stop: if it has not reached its pivot, what was done (and the step in flight)
   * is compensated and it ends compensated with `reason`. True when it will end compensated (also when it
   * already was compensating); false when it ended, or is past its pivot and will complete.
   */
  abort(tx: PoolClient, sagaId: string, reason: string): Promise<boolean>;
  /** Fires every expired deadline once (instances locked by another sweeper are skipped); returns how many fired. */
  sweepDeadlines(): Promise<number>;
  /** Sweeps deadlines every `sweepIntervalMs` until `stopSweeper`. */
  startSweeper(): void;
  stopSweeper(): Promise<void>;
  get(sagaId: string): Promise<SagaInstanceView | undefined>;
  /** Newest first. */
  list(filter: { state?: SagaState; limit: number }): Promise<SagaInstanceSummary[]>;
}

/** Thrown when an instance changed between reading and writing it; the message is retried and then seen as stale. */
export class SagaConflictError extends Error {
  constructor(sagaId: string) {
    super(`saga ${sagaId} changed concurrently`);
    this.name = 'SagaConflictError';
  }
}

interface InstanceRow {
  id: string;
  definition: string;
  definition_version: number;
  state: SagaState;
  data: unknown;
  steps: SagaStepView[];
  current_step: number;
  request_id: string | null;
  request_phase: Phase | null;
  request_attempt: number;
  request_sent_at: Date | null;
  deadline_at: Date | null;
  reason: string | null;
  revision: number;
  created_at: Date;
  updated_at: Date;
}

interface HistoryRow {
  kind: SagaHistoryEntry['kind'];
  step: string;
  phase: Phase;
  messageType: string | null;
  messageId: string | null;
  detail: string | null;
}

interface Request {
  id: string | null;
  sentAt: Date | null;
  deadlineAt: Date | null;
}

/** A registered definition as the orchestrator handles it: its data is whatever the instance stored. */
type Definition = SagaDefinition;

const NO_REQUEST: Request = { id: null, sentAt: null, deadlineAt: null };
const SWEEP_BATCH = 100;

/**
 * Runs saga definitions: every transition is one local transaction (the reply's inbox row, the
 * instance's update guarded by its revision, the next command's outbox row, the hooks), a reply counts
 * only if it answers the request in flight, and deadlines fire once.
 *
 * @example
 * await migrateSaga(pool);
 * const orchestrator = createSagaOrchestrator({ pool, messaging, clock, logger, definitions: [checkoutSaga] });
 * orchestrator.subscribe();
 * await messaging.start();
 * orchestrator.startSweeper();
 * // in the request that places an order:
 * await messaging.transaction(async (tx) => {
 *   await orders.place(tx, order);
 *   await orchestrator.start(tx, 'checkout', order.id, { orderId: order.id, ... });
 * });
 */
export function createSagaOrchestrator(options: SagaOrchestratorOptions): SagaOrchestrator {
  const { pool, messaging } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ service: 'saga' });
  const metrics = createSagaMetrics(options.registry ?? messaging.registry);
  const versions = registerDefinitions(options.definitions);
  let subscribed = false;
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> = Promise.resolve();
  let sweeperRunning = false;

  function definitionOf(name: string, version: number): Definition {
    const definition = versions.get(name)?.get(version);
    if (!definition)
      throw new Error(`saga ${name} v${version} is not registered: keep old versions while instances run`);
    return definition;
  }

  function newest(name: string): Definition {
    const byVersion = versions.get(name);
    if (!byVersion) throw new Error(`no saga named ${name} is registered`);
    return definitionOf(name, Math.max(...byVersion.keys()));
  }

  /** Sends the command (action or compensation) the snapshot has in flight; returns its request. */
  async function sendCurrent(
    tx: Queryable,
    definition: Definition,
    sagaId: string,
    snapshot: SagaSnapshot<unknown>,
    now: Date,
  ): Promise<{ request: Request; history: HistoryRow }> {
    const current = definition.steps[snapshot.cursor];
    if (!current || !snapshot.phase) throw new Error(`saga ${sagaId} has nothing to send`);
    const compensation = snapshot.phase === 'compensation' ? current.compensation : undefined;
    if (snapshot.phase === 'compensation' && !compensation) throw new Error(`step ${current.name} has no compensation`);
    const command = compensation?.command ?? current.command;
    const data: unknown = (compensation?.request ?? current.request)(snapshot.data, { sagaId, now });
    const key = (compensation?.key ?? current.key)(snapshot.data);
    const id = await messaging.send(tx, command, data, { key });
    const deadlineMs = compensation ? (compensation.deadlineMs ?? current.deadlineMs) : current.deadlineMs;
    return {
      request: { id, sentAt: now, deadlineAt: new Date(now.getTime() + deadlineMs) },
      history: {
        kind: 'command',
        step: current.name,
        phase: snapshot.phase,
        messageType: command.type,
        messageId: id,
        detail: snapshot.attempt > 1 ? `attempt ${snapshot.attempt}` : null,
      },
    };
  }

  /** One transition of a locked instance, written in `tx`; false when the event does not apply. */
  async function apply(tx: PoolClient, row: InstanceRow, event: SagaEvent): Promise<boolean> {
    const definition = definitionOf(row.definition, row.definition_version);
    const before = snapshotOf(row);
    const next = transition(definition, before, event);
    if (!next) return false;
    const now = clock.now();
    const { snapshot } = next;
    const history: HistoryRow[] = [eventHistory(definition, row, event)];
    let request = NO_REQUEST;
    if (next.send) {
      const sent = await sendCurrent(tx, definition, row.id, snapshot, now);
      request = sent.request;
      history.push(sent.history);
    } else if (snapshot.phase === 'event') {
      // Waiting for an event: nothing in flight, and a deadline only if the step sets one.
      const waitMs = definition.steps[snapshot.cursor]?.awaitEvent?.deadlineMs;
      request = { id: null, sentAt: now, deadlineAt: waitMs === undefined ? null : new Date(now.getTime() + waitMs) };
    }
    // The new state and its history rows in one statement (one round trip); no history row is written
    // when the revision moved on, as every transition writes at least one.
    const updated = await tx.query(
      `WITH updated AS (
         UPDATE saga_instances
            SET state = $3, data = $4::jsonb, steps = $5::jsonb, current_step = $6, request_id = $7,
                request_phase = $8, request_attempt = $9, request_sent_at = $10, deadline_at = $11, reason = $12,
                revision = revision + 1, updated_at = $13
          WHERE id = $1 AND revision = $2
          RETURNING id
       )
       ${historyInsertFrom('updated', 13, 14)}`,
      [
        row.id,
        row.revision,
        snapshot.state,
        JSON.stringify(snapshot.data),
        JSON.stringify(stepViews(definition, snapshot.steps)),
        snapshot.cursor,
        request.id,
        snapshot.phase ?? null,
        snapshot.attempt,
        request.sentAt,
        request.deadlineAt,
        snapshot.reason ?? null,
        now,
        ...historyColumns(history),
      ],
    );
    if (updated.rowCount === 0) throw new SagaConflictError(row.id);

    if (event.kind === 'reply' && row.request_sent_at && before.phase) {
      metrics.stepDuration.observe(
        { saga: row.definition, step: history[0]?.step ?? '', phase: before.phase },
        Math.max(0, now.getTime() - row.request_sent_at.getTime()) / 1000,
      );
    }
    if (next.pending !== undefined && event.kind === 'reply') {
      await definition.steps[next.pending]?.afterPending?.(tx, {
        sagaId: row.id,
        data: snapshot.data,
        reply: event.message,
      });
    }
    if (next.succeeded !== undefined && event.kind === 'reply') {
      await definition.steps[next.succeeded]?.afterSuccess?.(tx, {
        sagaId: row.id,
        data: snapshot.data,
        reply: event.message,
      });
    }
    if (next.ended === 'completed') {
      await definition.onCompleted?.(tx, { sagaId: row.id, data: snapshot.data });
    } else if (next.ended === 'compensated') {
      await definition.onCompensated?.(tx, {
        sagaId: row.id,
        data: snapshot.data,
        reason: snapshot.reason ?? 'UNKNOWN',
      });
    }
    if (next.ended) metrics.completed.inc({ saga: row.definition, outcome: next.ended });
    logger.debug(
      { sagaId: row.id, saga: row.definition, event: event.kind, state: snapshot.state, step: snapshot.cursor },
      'saga transition',
    );
    return true;
  }

  async function handleReply(message: IncomingMessage, tx: PoolClient): Promise<void> {
    // Locks the instance waiting for exactly this request: a concurrent transition that moved it on
    // (a sweeper, an abort) commits first, and then no row matches any more.
    const { rows } = await tx.query<InstanceRow>('SELECT * FROM saga_instances WHERE request_id = $1 FOR UPDATE', [
      message.correlationId ?? '',
    ]);
    const row = rows[0];
    if (!row) {
      logger.info(
        { type: message.type, correlationId: message.correlationId, subject: message.subject },
        'saga reply ignored: it answers no request in flight (stale or duplicate)',
      );
      return;
    }
    if (!(await apply(tx, row, { kind: 'reply', message }))) {
      logger.warn(
        { sagaId: row.id, type: message.type, step: row.current_step, phase: row.request_phase },
        'saga reply ignored: the step in flight does not expect this type',
      );
    }
  }

  /** Which definitions wait for which event type, with how each finds the saga an event is about. */
  const correlations = new Map<string, Array<(event: IncomingMessage) => string>>();
  for (const definition of options.definitions) {
    for (const each of definition.steps) {
      if (!each.awaitEvent) continue;
      for (const event of [...each.awaitEvent.success, ...each.awaitEvent.failure]) {
        correlations.set(event.type, [...(correlations.get(event.type) ?? []), each.awaitEvent.correlate]);
      }
    }
  }

  async function handleEvent(message: IncomingMessage, tx: PoolClient): Promise<void> {
    const sagaIds = new Set((correlations.get(message.type) ?? []).map((correlate) => correlate(message)));
    for (const sagaId of sagaIds) {
      const { rows } = await tx.query<InstanceRow>('SELECT * FROM saga_instances WHERE id = $1 FOR UPDATE', [sagaId]);
      const row = rows[0];
      // An event about no saga of ours, or one no step waits for now (a duplicate, an ended saga): not news.
      if (!row || !(await apply(tx, row, { kind: 'event', message }))) {
        logger.info(
          { sagaId, type: message.type, state: row?.state, step: row?.current_step },
          'saga event ignored: no step of this saga waits for it',
        );
      }
    }
  }

  async function sweepDeadlines(): Promise<number> {
    const now = clock.now();
    const { rows } = await pool.query<{ id: string }>(
      'SELECT id FROM saga_instances WHERE deadline_at <= $1 ORDER BY deadline_at LIMIT $2',
      [now, SWEEP_BATCH],
    );
    let fired = 0;
    for (const { id } of rows) {
      try {
        const didFire = await messaging.transaction(async (tx) => {
          // SKIP LOCKED: an instance another sweeper (or a reply) holds is theirs; the deadline is re-checked
          // on the locked row, so one that a committed transition moved on does not fire.
          const locked = await tx.query<InstanceRow>(
            'SELECT * FROM saga_instances WHERE id = $1 AND deadline_at <= $2 FOR UPDATE SKIP LOCKED',
            [id, now],
          );
          const row = locked.rows[0];
          return row ? apply(tx, row, { kind: 'deadline' }) : false;
        });
        if (didFire) fired += 1;
      } catch (error) {
        logger.error({ err: error, sagaId: id }, 'saga deadline could not be handled; retried at the next sweep');
      }
    }
    return fired;
  }

  return {
    async start(tx, name, sagaId, data) {
      const definition = newest(name);
      const snapshot = startSnapshot(definition, data);
      const now = clock.now();
      const sent = await sendCurrent(tx, definition, sagaId, snapshot, now);
      // The instance and its first history row in one statement (one round trip).
      await tx.query(
        `WITH created AS (
           INSERT INTO saga_instances (id, definition, definition_version, state, data, steps, current_step, request_id,
             request_phase, request_attempt, request_sent_at, deadline_at, reason, revision, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11, $12, NULL, 1, $13, $13)
           RETURNING id
         )
         ${historyInsertFrom('created', 13, 14)}`,
        [
          sagaId,
          definition.name,
          definition.version,
          snapshot.state,
          JSON.stringify(snapshot.data),
          JSON.stringify(stepViews(definition, snapshot.steps)),
          snapshot.cursor,
          sent.request.id,
          snapshot.phase,
          snapshot.attempt,
          sent.request.sentAt,
          sent.request.deadlineAt,
          now,
          ...historyColumns([sent.history]),
        ],
      );
      metrics.started.inc({ saga: definition.name });
    },

    subscribe() {
      if (subscribed) throw new Error('the saga orchestrator is already subscribed');
      subscribed = true;
      const replies = new Map<string, ReplyDefinition>();
      for (const definition of options.definitions) {
        for (const reply of replyDefinitionsOf(definition)) replies.set(reply.type, reply);
      }
      messaging.subscribe({
        ...(options.group ? { group: options.group } : {}),
        messages: [...replies.values()],
        handler: (message, tx) => handleReply(message as IncomingMessage, tx),
      });
      const events = new Map<string, EventDefinition>();
      for (const definition of options.definitions) {
        for (const event of eventDefinitionsOf(definition)) events.set(event.type, event);
      }
      if (events.size === 0) return;
      messaging.subscribe({
        ...(options.group ? { group: options.group } : {}),
        messages: [...events.values()],
        handler: (message, tx) => handleEvent(message as IncomingMessage, tx),
      });
    },

    async abort(tx, sagaId, reason) {
      const { rows } = await tx.query<InstanceRow>('SELECT * FROM saga_instances WHERE id = $1 FOR UPDATE', [sagaId]);
      const row = rows[0];
      if (!row) return false;
      if (row.state === 'compensating') return true;
      return apply(tx, row, { kind: 'abort', reason });
    },

    sweepDeadlines,

    startSweeper() {
      if (sweeperRunning) return;
      sweeperRunning = true;
      const schedule = (): void => {
        sweepTimer = setTimeout(() => {
          sweeping = sweepDeadlines()
            .catch((error: unknown) => logger.warn({ err: error }, 'saga deadline sweep failed'))
            .finally(() => {
              if (sweeperRunning) schedule();
            });
        }, options.sweepIntervalMs ?? 1000);
        sweepTimer.unref();
      };
      schedule();
    },

    async stopSweeper() {
      sweeperRunning = false;
      clearTimeout(sweepTimer);
      await sweeping;
    },

    async get(sagaId) {
      const { rows } = await pool.query<InstanceRow>('SELECT * FROM saga_instances WHERE id = $1', [sagaId]);
      const row = rows[0];
      if (!row) return undefined;
      const history = await pool.query<{
        at: Date;
        kind: SagaHistoryEntry['kind'];
        step: string;
        phase: Phase;
        message_type: string | null;
        message_id: string | null;
        detail: string | null;
      }>('SELECT * FROM saga_history WHERE saga_id = $1 ORDER BY seq', [sagaId]);
      return {
        ...summaryOf(row),
        history: history.rows.map((entry) => ({
          at: entry.at.toISOString(),
          kind: entry.kind,
          step: entry.step,
          phase: entry.phase,
          messageType: entry.message_type,
          messageId: entry.message_id,
          detail: entry.detail,
        })),
      };
    },

    async list(filter) {
      const { rows } = await pool.query<InstanceRow>(
        `SELECT * FROM saga_instances WHERE ($1::text IS NULL OR state = $1) ORDER BY created_at DESC, id LIMIT $2`,
        [filter.state ?? null, filter.limit],
      );
      return rows.map(summaryOf);
    },
  };
}

function registerDefinitions(definitions: readonly AnySagaDefinition[]): Map<string, Map<number, Definition>> {
  const versions = new Map<string, Map<number, Definition>>();
  for (const definition of definitions) {
    const byVersion = versions.get(definition.name) ?? new Map<number, Definition>();
    if (byVersion.has(definition.version)) {
      throw new Error(`saga ${definition.name} v${definition.version} is registered twice`);
    }
    byVersion.set(definition.version, definition);
    versions.set(definition.name, byVersion);
  }
  return versions;
}

function snapshotOf(row: InstanceRow): SagaSnapshot<unknown> {
  return {
    state: row.state,
    data: row.data,
    steps: row.steps.map((each) => each.state),
    cursor: row.current_step,
    phase: row.request_phase ?? undefined,
    attempt: row.request_attempt,
    reason: row.reason ?? undefined,
  };
}

function stepViews(definition: Definition, states: readonly StepState[]): SagaStepView[] {
  return definition.steps.map((each, index) => ({ name: each.name, state: states[index] ?? 'pending' }));
}

function eventHistory(definition: Definition, row: InstanceRow, event: SagaEvent): HistoryRow {
  const step = definition.steps[row.current_step]?.name ?? '';
  const phase = row.request_phase ?? 'action';
  switch (event.kind) {
    case 'reply':
      return { kind: 'reply', step, phase, messageType: event.message.type, messageId: event.message.id, detail: null };
    case 'event':
      return { kind: 'event', step, phase, messageType: event.message.type, messageId: event.message.id, detail: null };
    case 'deadline':
      return { kind: 'timeout', step, phase, messageType: null, messageId: row.request_id, detail: null };
    case 'abort':
      return { kind: 'abort', step, phase, messageType: null, messageId: row.request_id, detail: event.reason };
  }
}

/**
 * Inserts history rows for the instance a CTE named `source` returned (`RETURNING id`): none when it
 * returned none. `at` is the parameter number of their time; the six column arrays of `historyColumns`
 * follow from parameter `first` on.
 */
function historyInsertFrom(source: string, at: number, first: number): string {
  const columns = Array.from({ length: 6 }, (_, index) => `$${first + index}::text[]`).join(', ');
  return `INSERT INTO saga_history (saga_id, at, kind, step, phase, message_type, message_id, detail)
     SELECT ${source}.id, $${at}, h.kind, h.step, h.phase, h.message_type, h.message_id, h.detail FROM ${source}
     CROSS JOIN unnest(${columns}) WITH ORDINALITY AS h (kind, step, phase, message_type, message_id, detail, n)
     ORDER BY h.n`;
}

/** History rows as one array per column, for `unnest`. */
function historyColumns(rows: readonly HistoryRow[]): Array<Array<string | null>> {
  return [
    rows.map((row) => row.kind),
    rows.map((row) => row.step),
    rows.map((row) => row.phase),
    rows.map((row) => row.messageType),
    rows.map((row) => row.messageId),
    rows.map((row) => row.detail),
  ];
}

function summaryOf(row: InstanceRow): SagaInstanceSummary {
  const step = row.steps[row.current_step]?.name ?? '';
  return {
    sagaId: row.id,
    definition: row.definition,
    version: row.definition_version,
    state: row.state,
    data: row.data,
    reason: row.reason,
    steps: row.steps,
    awaiting:
      row.request_phase && (row.request_id || row.request_phase === 'event')
        ? {
            step,
            phase: row.request_phase,
            requestId: row.request_id,
            attempt: row.request_attempt,
            deadlineAt: row.deadline_at?.toISOString() ?? null,
          }
        : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
