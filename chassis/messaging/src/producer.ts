import pg from 'pg';
import { z } from 'zod';
import { newId, systemClock, type Clock } from '@talad/core';
import type { Queryable } from '@talad/pg';
import { encodeEnvelope, sourceOf, type Envelope } from './envelope.ts';
import { topicOf, topics, type AnyMessageDefinition, type MessageInput } from './message-definition.ts';
import { appendToOutbox, type OutboxRow } from './outbox.ts';
import type { IncomingMessage } from './received-message.ts';
import { activeTraceparent } from './trace-context.ts';

export interface PublishOptions {
  /** Partition key and CloudEvent subject: the id of the aggregate the message is about. */
  key: string;
  /** Defaults to the message being handled (inside a handler), else to the new message's own id. */
  correlationId?: string;
  /** Defaults to the id of the message being handled, inside a handler. */
  causationId?: string;
}

export interface SendOptions extends PublishOptions {
  /** Topic for the reply; defaults to this service's `<service>.replies`. */
  replyTo?: string;
}

export interface ReplyOptions {
  /** Defaults to the request's subject, so replies about one aggregate keep their order. */
  key?: string;
}

/** The request a reply answers: a received command. */
export type ReplyTarget = Pick<IncomingMessage, 'id' | 'type' | 'subject' | 'replyTo' | 'correlationId'>;

/** A message being handled on a connection: messages written through it inherit its conversation. */
export interface HandlingContext {
  readonly messageId: string;
  readonly correlationId: string | undefined;
}

/** Writes messages to the outbox through the caller's connection; each call returns the new message's id. */
export interface Producer {
  /** An event, to `<owner>.events`. */
  readonly publish: <Definition extends AnyMessageDefinition & { kind: 'event' }>(
    db: Queryable,
    definition: Definition,
    data: MessageInput<Definition>,
    options: PublishOptions,
  ) => Promise<string>;
  /** A command, to `<owner>.commands`, asking for a reply on `options.replyTo` (this service's replies topic). */
  readonly send: <Definition extends AnyMessageDefinition & { kind: 'command' }>(
    db: Queryable,
    definition: Definition,
    data: MessageInput<Definition>,
    options: SendOptions,
  ) => Promise<string>;
  /** The reply to a received command, to its `replyto` topic, correlated by the command's id. */
  readonly reply: <Definition extends AnyMessageDefinition & { kind: 'reply' }>(
    db: Queryable,
    request: ReplyTarget,
    definition: Definition,
    data: MessageInput<Definition>,
    options?: ReplyOptions,
  ) => Promise<string>;
}

export interface ProducerOptions {
  service: string;
  clock?: Clock;
  /** Connections inside a handler, mapped to the message being handled. */
  contexts: WeakMap<Queryable, HandlingContext>;
  /** Called after a write that is already committed (a pool, not a transaction), to wake the relay. */
  onCommitted: () => void;
  /**
   * Transactions that write their outbox rows with their COMMIT (`messaging.transaction`, handlers): rows
   * for them are collected here instead of inserted at once.
   */
  pending?: WeakMap<Queryable, OutboxRow[]>;
}

/** Thrown when a producer's data does not match the message's schema: a bug in the producer. */
export class MessageSchemaError extends Error {
  readonly type: string;
  constructor(type: string, error: z.ZodError) {
    super(`data for ${type} does not match its schema: ${z.prettifyError(error)}`);
    this.name = 'MessageSchemaError';
    this.type = type;
  }
}

/**
 * Builds envelopes and writes them to the outbox. The active span's trace context is captured now,
 * while the request that caused the message is still the active span.
 */
export function createProducer(options: ProducerOptions): Producer {
  const clock = options.clock ?? systemClock;
  const source = sourceOf(options.service);

  async function write(
    db: Queryable,
    definition: AnyMessageDefinition,
    data: unknown,
    topic: string,
    settings: { key: string; correlationId?: string | undefined; causationId?: string | undefined; replyTo?: string },
  ): Promise<string> {
    const parsed = definition.schema.safeParse(data);
    if (!parsed.success) throw new MessageSchemaError(definition.type, parsed.error);
    const handling = options.contexts.get(db);
    const id = newId(clock.now().getTime());
    const traceparent = activeTraceparent();
    const causationId = settings.causationId ?? handling?.messageId;
    const envelope: Envelope = {
      specversion: '1.0',
      id,
      source,
      type: definition.type,
      time: clock.now().toISOString(),
      subject: settings.key,
      datacontenttype: 'application/json',
      data: parsed.data,
      ...(traceparent ? { traceparent } : {}),
      correlationid: settings.correlationId ?? handling?.correlationId ?? handling?.messageId ?? id,
      ...(causationId ? { causationid: causationId } : {}),
      ...(settings.replyTo ? { replyto: settings.replyTo } : {}),
    };
    const row: OutboxRow = { id, topic, key: settings.key, type: definition.type, body: encodeEnvelope(envelope) };
    const collected = options.pending?.get(db);
    if (collected) {
      collected.push(row);
      return id;
    }
    await appendToOutbox(db, [row]);
    if (db instanceof pg.Pool) options.onCommitted();
    return id;
  }

  function expectKind(definition: AnyMessageDefinition, kind: AnyMessageDefinition['kind'], via: string): void {
    if (definition.kind !== kind) {
      throw new Error(`${definition.type} is a ${definition.kind}; ${via} takes ${kind}s`);
    }
  }

  return {
    async publish(db, definition, data, settings) {
      expectKind(definition, 'event', 'publish()');
      return write(db, definition, data, topicOf(definition) ?? '', settings);
    },
    async send(db, definition, data, settings) {
      expectKind(definition, 'command', 'send()');
      return write(db, definition, data, topicOf(definition) ?? '', {
        ...settings,
        replyTo: settings.replyTo ?? topics.replies(options.service),
      });
    },
    async reply(db, request, definition, data, settings = {}) {
      expectKind(definition, 'reply', 'reply()');
      if (!request.replyTo) throw new Error(`${request.type} ${request.id} has no replyto; it expects no reply`);
      return write(db, definition, data, request.replyTo, {
        key: settings.key ?? request.subject,
        correlationId: request.id,
        causationId: request.id,
      });
    },
  };
}
