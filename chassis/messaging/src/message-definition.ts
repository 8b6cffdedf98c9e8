import type { z } from 'zod';

/**
 * What a message asks of the world: an `event` tells what happened (past tense, `OrderPlaced`), a
 * `command` asks one service to act (imperative, `ReserveStock`), a `reply` answers a command.
 */
export type MessageKind = 'event' | 'command' | 'reply';

/** `<owner>.<Name>.v<version>`, e.g. `ordering.OrderPlaced.v1`. */
export type MessageType = `${string}.${string}.v${number}`;

/** A message contract: its CloudEvents type, its kind and the zod schema of its `data`. */
export interface MessageDefinition<
  Type extends string = string,
  Kind extends MessageKind = MessageKind,
  Schema extends z.ZodType = z.ZodType,
> {
  readonly type: Type;
  readonly kind: Kind;
  readonly schema: Schema;
  /** The service that owns the contract, the type's first segment: `ordering` in `ordering.OrderPlaced.v1`. */
  readonly owner: string;
  /** The type without its version, `ordering.OrderPlaced`: versions of one message share it. */
  readonly name: string;
  readonly version: number;
}

/** Any definition, whatever its type, kind and schema. */
// `any` keeps every concrete definition assignable here; `z.ZodType` alone is invariant in its input.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMessageDefinition = MessageDefinition<string, MessageKind, z.ZodType<any, any>>;

/** What a producer passes as `data` (before the schema's defaults apply). */
export type MessageInput<Definition extends AnyMessageDefinition> = z.input<Definition['schema']>;
/** What a consumer receives as `data` (after the schema parsed it). */
export type MessageData<Definition extends AnyMessageDefinition> = z.output<Definition['schema']>;

const TYPE_PATTERN = /^([a-z][a-z0-9-]*)\.([A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)$/;
const SERVICE_PATTERN = /^[a-z][a-z0-9-]*$/;

/**
 * Declares a message contract. The producer's contracts package exports it; the producer publishes
 * with it and every consumer subscribes with it, and the schema is checked on both sides.
 *
 * @example
 * export const ProductCreated = defineMessage({
 *   type: 'catalog.ProductCreated.v1',
 *   kind: 'event',
 *   schema: z.object({ productId: z.uuid(), name: z.string(), price: MoneySchema }),
 * });
 */
export function defineMessage<
  const Type extends MessageType,
  const Kind extends MessageKind,
  Schema extends z.ZodType,
>(spec: { type: Type; kind: Kind; schema: Schema }): MessageDefinition<Type, Kind, Schema> {
  const parsed = parseMessageType(spec.type);
  if (!parsed) {
    throw new Error(
      `message type '${spec.type}' must look like '<service>.<PascalCaseName>.v<version>', e.g. 'ordering.OrderPlaced.v1'`,
    );
  }
  return { type: spec.type, kind: spec.kind, schema: spec.schema, ...parsed };
}

/** Splits `ordering.OrderPlaced.v1` into its owner, name and version; undefined when malformed. */
export function parseMessageType(type: string): { owner: string; name: string; version: number } | undefined {
  const match = TYPE_PATTERN.exec(type);
  if (!match) return undefined;
  const [, owner = '', name = ''] = match;
  return { owner, name: `${owner}.${name}`, version: Number(match[3]) };
}

/**
 * Topic names follow from who owns the messages, so no one configures them: the events of `catalog`
 * go to `catalog.events`, commands for `inventory` to `inventory.commands`, and replies for the
 * service that sent a command to its `<service>.replies`.
 */
export const topics = {
  events: (service: string): string => `${service}.events`,
  commands: (service: string): string => `${service}.commands`,
  replies: (service: string): string => `${service}.replies`,
} as const;

/** The topic a definition is published to; replies have none of their own (they go where `replyto` says). */
export function topicOf(definition: AnyMessageDefinition): string | undefined {
  if (definition.kind === 'event') return topics.events(definition.owner);
  if (definition.kind === 'command') return topics.commands(definition.owner);
  return undefined;
}

/** Whether a topic carries events (which a subscriber may pick from) rather than messages addressed to it. */
export function isEventsTopic(topic: string): boolean {
  return topic.endsWith('.events');
}

export function assertServiceName(service: string): void {
  if (!SERVICE_PATTERN.test(service)) {
    throw new Error(`service name '${service}' must be lower-case letters, digits and dashes, starting with a letter`);
  }
}
