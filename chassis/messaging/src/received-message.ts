import type { Envelope } from './envelope.ts';
import type { AnyMessageDefinition, MessageData } from './message-definition.ts';

/** A message as a handler sees it: the envelope's facts, with `data` parsed by the definition's schema. */
export interface IncomingMessage<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly source: string;
  /** The aggregate the message is about; also its partition key. */
  readonly subject: string;
  readonly time: string;
  /** Shared by every message of one conversation; a message that starts one has its own id here. */
  readonly correlationId: string | undefined;
  readonly causationId: string | undefined;
  /** For commands: where the reply goes (`reply()` uses it). */
  readonly replyTo: string | undefined;
  readonly topic: string;
  readonly partition: number;
  /** 1 on the first try; counts in-process retries of this delivery. */
  readonly attempt: number;
  readonly envelope: Envelope;
}

/**
 * The message a handler receives for a set of definitions: a union discriminated by `type`, so a
 * `switch (message.type)` narrows `data` to that message's schema.
 */
export type ReceivedMessage<Definition extends AnyMessageDefinition = AnyMessageDefinition> =
  Definition extends AnyMessageDefinition ? IncomingMessage<Definition['type'], MessageData<Definition>> : never;
