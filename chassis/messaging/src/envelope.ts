import { z } from 'zod';

/**
 * A message on the wire: a CloudEvent 1.0 in JSON structured mode, with the extensions Talad uses
 * for tracing (`traceparent`), conversations (`correlationid`, `causationid`) and request/reply
 * (`replyto`). Extension names are lower-case alphanumerics, as CloudEvents requires.
 */
export interface Envelope<Data = unknown> {
  readonly specversion: '1.0';
  /** UUIDv7, unique per message; inboxes key on it. */
  readonly id: string;
  /** `/talad/<service>`: who produced it. */
  readonly source: string;
  /** `<owner>.<Name>.v<version>`, e.g. `ordering.OrderPlaced.v1`. */
  readonly type: string;
  /** RFC 3339 instant the producer created it. */
  readonly time: string;
  /** The aggregate it is about, also its partition key. */
  readonly subject: string;
  readonly datacontenttype: 'application/json';
  readonly data: Data;
  /** W3C trace context of the span that produced it, so the consumer's span joins the same trace. */
  readonly traceparent?: string;
  /** The id shared by every message of one conversation (a saga, a request and its reply). */
  readonly correlationid?: string;
  /** The id of the message whose handling produced this one. */
  readonly causationid?: string;
  /** For commands: the topic the reply goes to. */
  readonly replyto?: string;
}

/** How a consumer reads an envelope: strict on what Talad relies on, tolerant of other extensions. */
export const EnvelopeSchema = z
  .object({
    specversion: z.literal('1.0'),
    id: z.string().min(1),
    source: z.string().min(1),
    type: z.string().min(1),
    time: z.iso.datetime({ offset: true }),
    subject: z.string().min(1),
    datacontenttype: z.literal('application/json'),
    data: z.unknown(),
    traceparent: z.string().optional(),
    correlationid: z.string().min(1).optional(),
    causationid: z.string().min(1).optional(),
    replyto: z.string().min(1).optional(),
  })
  .loose();

export function sourceOf(service: string): string {
  return `/talad/${service}`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  return encoder.encode(JSON.stringify(envelope));
}

export type DecodeResult = { ok: true; envelope: Envelope } | { ok: false; reason: string };

/**
 * Reads a message body into an envelope, or says why it is not one. Never throws: a consumer must
 * turn a bad message into a dead letter, not a crash.
 *
 * @example
 * const decoded = decodeEnvelope(delivery.message.body);
 * if (!decoded.ok) await deadLetter('malformed', decoded.reason);
 */
export function decodeEnvelope(body: Uint8Array): DecodeResult {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(body));
  } catch (error) {
    return { ok: false, reason: `the body is not UTF-8 JSON: ${(error as Error).message}` };
  }
  const parsed = EnvelopeSchema.safeParse(json);
  if (!parsed.success)
    return { ok: false, reason: `the body is not a Talad CloudEvent: ${z.prettifyError(parsed.error)}` };
  return { ok: true, envelope: parsed.data };
}
