import { newId } from '@talad/core';
import type { Envelope, TransportMessage } from '@talad/messaging';

/**
 * Messages as they travelled between the checkout's services, read back and forged again: what a
 * broker's redelivery (the same message twice) and a participant's late answer (a reply to a request
 * the saga no longer waits for) look like on the wire.
 */

export function envelopeOf(message: TransportMessage): Envelope<Record<string, unknown>> {
  return JSON.parse(new TextDecoder().decode(message.body)) as Envelope<Record<string, unknown>>;
}

/** Messages of `type` among `published`, with their envelopes. */
export function ofType(
  published: readonly TransportMessage[],
  type: string,
): Array<{ message: TransportMessage; envelope: Envelope<Record<string, unknown>> }> {
  return published
    .map((message) => ({ message, envelope: envelopeOf(message) }))
    .filter(({ envelope }) => envelope.type === type);
}

/** The replies among `published` that answer the command with id `requestId`. */
export function repliesTo(published: readonly TransportMessage[], requestId: string): TransportMessage[] {
  return published.filter((message) => envelopeOf(message).correlationid === requestId);
}

/**
 * The same message again, as a broker redelivers it: the same CloudEvent (the id inboxes key on) under
 * another transport id, so a broker that drops repeated publishes (JetStream's duplicate window) still
 * delivers it and the consumer's inbox is what must drop it. Each call gives a transport id of its own.
 */
export function redelivered(message: TransportMessage): TransportMessage {
  return { ...message, id: `${message.id}.again.${newId()}` };
}

/**
 * A new reply to an old request: the envelope of `original` (same source, topic, correlation id) with a
 * new id, another type and data, as a participant answering a request the saga no longer waits for.
 */
export function staleReply(
  original: TransportMessage,
  reply: { type: string; data: Record<string, unknown> },
): TransportMessage {
  const id = newId();
  const envelope = { ...envelopeOf(original), id, type: reply.type, data: reply.data, time: new Date().toISOString() };
  return { id, topic: original.topic, key: original.key, body: new TextEncoder().encode(JSON.stringify(envelope)) };
}
