import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { z } from 'zod';
import type { Pool, PoolClient, Queryable } from '@talad/pg';
import { getTracer, type Logger } from '@talad/service';
import type { DeadLetterFailure, DeadLetterStore } from './dead-letters.ts';
import { decodeEnvelope, type Envelope } from './envelope.ts';
import { isEventsTopic, parseMessageType, topicOf, topics, type AnyMessageDefinition } from './message-definition.ts';
import type { MessagingMetrics } from './metrics.ts';
import { outboxInsertSql, type OutboxRow } from './outbox.ts';
import type { HandlingContext } from './producer.ts';
import type { IncomingMessage, ReceivedMessage } from './received-message.ts';
import { backoffDelay, isInfrastructureError, type RetryPolicy } from './retry.ts';
import { sleep } from './signal.ts';
import { contextFromTraceparent } from './trace-context.ts';
import { runTransaction, sqlLiteral } from './transaction.ts';
import type { Delivery } from './transport.ts';

/**
 * Handlers for a set of message definitions. The handler runs inside the transaction that records
 * the message in the inbox: write the effects, and any messages to send, through `tx`.
 */
export interface Subscription<Definitions extends readonly AnyMessageDefinition[] = readonly AnyMessageDefinition[]> {
  /** Consumer group; defaults to the service name. Every group gets its own copy of every message. */
  group?: string;
  messages: Definitions;
  handler: (message: ReceivedMessage<Definitions[number]>, tx: PoolClient) => Promise<void>;
  /** Overrides the service's retry policy for these messages. */
  retry?: Partial<RetryPolicy>;
}

type Outcome = 'handled' | 'duplicate' | 'ignored' | 'dead-lettered';

interface Route {
  readonly definition: AnyMessageDefinition;
  readonly handler: (message: IncomingMessage, tx: PoolClient) => Promise<void>;
  readonly retry: RetryPolicy;
}

export interface ConsumerGroupOptions {
  service: string;
  group: string;
  pool: Pool;
  metrics: MessagingMetrics;
  logger: Logger;
  deadLetters: DeadLetterStore;
  contexts: WeakMap<Queryable, HandlingContext>;
  /** Outbox rows of handler transactions, written with their COMMIT. */
  pending: WeakMap<Queryable, OutboxRow[]>;
  retry: RetryPolicy;
  /** Called after a handler's transaction that wrote to the outbox committed. */
  onPublished: () => void;
  /** Aborted on shutdown: retries stop waiting and the message is left for redelivery. */
  stopping: AbortSignal;
}

/**
 * The consumer runtime of one group: turns each delivery into exactly one effect. The envelope is
 * parsed and validated first (a bad one becomes a dead letter, never a crash); then, in one
 * transaction, the inbox row is inserted (a conflict means the message was handled before: skip) and
 * the handler runs. A failing handler is retried with backoff, its partition waiting meanwhile so
 * order holds, then dead-lettered so it cannot block its partition for ever. Database outages are not
 * the message's fault: they are retried without counting and, on shutdown, left to redelivery.
 */
export class ConsumerGroup {
  readonly group: string;
  readonly #options: ConsumerGroupOptions;
  readonly #routes = new Map<string, Route>();
  /** Versions handled per message name, to tell an unknown version from an unknown type. */
  readonly #versions = new Map<string, number[]>();
  readonly #topics = new Set<string>();

  constructor(options: ConsumerGroupOptions) {
    this.group = options.group;
    this.#options = options;
  }

  add(subscription: Subscription): void {
    for (const definition of subscription.messages) {
      if (this.#routes.has(definition.type)) {
        throw new Error(`group ${this.group} already has a handler for ${definition.type}`);
      }
      this.#routes.set(definition.type, {
        definition,
        handler: subscription.handler as Route['handler'],
        retry: { ...this.#options.retry, ...subscription.retry },
      });
      this.#versions.set(definition.name, [...(this.#versions.get(definition.name) ?? []), definition.version]);
      this.#topics.add(topicOf(definition) ?? topics.replies(this.#options.service));
    }
  }

  get topics(): string[] {
    return [...this.#topics].sort();
  }

  /** The transport's `handle`: resolves once the message is dealt with for good (acknowledge). */
  async handle(delivery: Delivery): Promise<void> {
    const { message } = delivery;
    const decoded = decodeEnvelope(message.body);
    if (!decoded.ok) return this.#deadLetter(delivery, undefined, 'malformed', decoded.reason);
    const { envelope } = decoded;
    const route = this.#routes.get(envelope.type);
    if (!route) return this.#unrouted(delivery, envelope);
    const data = route.definition.schema.safeParse(envelope.data);
    if (!data.success) {
      return this.#deadLetter(
        delivery,
        envelope,
        'invalid-data',
        `data does not match ${envelope.type}: ${z.prettifyError(data.error)}`,
      );
    }
    const incoming: IncomingMessage = {
      id: envelope.id,
      type: envelope.type,
      data: data.data,
      source: envelope.source,
      subject: envelope.subject,
      time: envelope.time,
      correlationId: envelope.correlationid,
      causationId: envelope.causationid,
      replyTo: envelope.replyto,
      topic: message.topic,
      partition: delivery.partition,
      attempt: 1,
      envelope,
    };
    await getTracer().startActiveSpan(
      `${message.topic} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.operation.type': 'process',
          'messaging.destination.name': message.topic,
          'messaging.destination.partition.id': String(delivery.partition),
          'messaging.consumer.group.name': this.group,
          'messaging.message.id': envelope.id,
          'cloudevents.event_type': envelope.type,
        },
      },
      contextFromTraceparent(envelope.traceparent),
      async (span) => {
        try {
          await this.#handleWithRetries(delivery, route, incoming, span);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  async #handleWithRetries(delivery: Delivery, route: Route, incoming: IncomingMessage, span: Span): Promise<void> {
    const { logger, metrics, stopping } = this.#options;
    const labels = { group: this.group, type: incoming.type };
    let failures = 0;
    let outages = 0;
    let firstFailedAt: Date | undefined;
    for (;;) {
      try {
        const outcome = await this.#handleOnce(route, { ...incoming, attempt: failures + 1 });
        metrics.consumed.inc({ ...labels, outcome });
        return;
      } catch (error) {
        if (stopping.aborted) throw error;
        if (isInfrastructureError(error)) {
          outages += 1;
          logger.warn(
            { err: error, messageId: incoming.id, type: incoming.type },
            'database unavailable; will retry the message',
          );
          if (!(await sleep(backoffDelay(outages, route.retry), stopping))) throw error;
          continue;
        }
        failures += 1;
        firstFailedAt ??= new Date();
        span.addEvent('handler failed', { attempt: failures, 'exception.message': (error as Error).message });
        if (failures >= route.retry.attempts) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: 'dead-lettered' });
          return this.#deadLetter(
            delivery,
            incoming.envelope,
            'handler-failed',
            `handler failed ${failures} times; last error: ${describeError(error)}`,
            failures,
            firstFailedAt,
          );
        }
        metrics.retried.inc(labels);
        const delay = backoffDelay(failures, route.retry);
        logger.warn(
          { err: error, messageId: incoming.id, type: incoming.type, attempt: failures, retryInMs: delay },
          'handler failed; retrying',
        );
        if (!(await sleep(delay, stopping))) throw error;
      }
    }
  }

  async #handleOnce(route: Route, message: IncomingMessage): Promise<Outcome> {
    const { pool, contexts, pending, metrics } = this.#options;
    const started = performance.now();
    const published: OutboxRow[] = [];
    const outcome = await runTransaction(
      pool,
      async (tx, [claimed]): Promise<Outcome> => {
        if (claimed?.rowCount === 0) return 'duplicate';
        contexts.set(tx, { messageId: message.id, correlationId: message.correlationId });
        pending.set(tx, published);
        try {
          await route.handler(message, tx);
        } finally {
          contexts.delete(tx);
          pending.delete(tx);
        }
        return 'handled';
      },
      {
        // Insert first, then act, with BEGIN in one round trip: a concurrent duplicate waits on this row's
        // key and then finds it.
        afterBegin:
          'INSERT INTO inbox (consumer_group, message_id, type) ' +
          `VALUES (${sqlLiteral(this.group)}, ${sqlLiteral(message.id)}, ${sqlLiteral(message.type)}) ON CONFLICT DO NOTHING`,
        beforeCommit: () => outboxInsertSql(published),
      },
    );
    metrics.handlerDuration.observe({ group: this.group, type: message.type }, (performance.now() - started) / 1000);
    if (published.length > 0) this.#options.onPublished();
    return outcome;
  }

  async #unrouted(delivery: Delivery, envelope: Envelope): Promise<void> {
    const parsed = parseMessageType(envelope.type);
    const versions = parsed ? this.#versions.get(parsed.name) : undefined;
    if (parsed && versions) {
      return this.#deadLetter(
        delivery,
        envelope,
        'unknown-version',
        `group ${this.group} handles ${parsed.name} v${versions.join(', v')}, not v${parsed.version}`,
      );
    }
    // An events topic carries every event of its owner; a subscriber takes the ones it needs.
    // Commands and replies are addressed to this service, so one it cannot handle is an error.
    if (isEventsTopic(delivery.message.topic)) {
      this.#options.metrics.consumed.inc({ group: this.group, type: envelope.type, outcome: 'ignored' });
      return;
    }
    return this.#deadLetter(
      delivery,
      envelope,
      'unknown-type',
      `group ${this.group} has no handler for ${envelope.type}`,
    );
  }

  /** Records the dead letter; if even that fails (the database is down), rejects, so the message is redelivered. */
  async #deadLetter(
    delivery: Delivery,
    envelope: Envelope | undefined,
    failure: DeadLetterFailure,
    reason: string,
    attempts = 0,
    firstFailedAt: Date = new Date(),
  ): Promise<void> {
    const { message } = delivery;
    await this.#options.deadLetters.record({
      group: this.group,
      messageId: envelope?.id ?? message.id,
      topic: message.topic,
      key: message.key,
      type: envelope?.type,
      body: message.body,
      failure,
      reason,
      attempts,
      firstFailedAt,
    });
    const type = envelope?.type ?? 'unreadable';
    this.#options.metrics.deadLettered.inc({ group: this.group, type, failure });
    this.#options.metrics.consumed.inc({ group: this.group, type, outcome: 'dead-lettered' });
    this.#options.logger.error(
      { group: this.group, messageId: envelope?.id ?? message.id, topic: message.topic, type, failure, reason },
      'message dead-lettered',
    );
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
