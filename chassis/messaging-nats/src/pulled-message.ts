import type { Msg, NatsConnection } from '@nats-io/transport-node';

const ACK = '+ACK';
const WORKING = '+WPI';

/** Where a message sits, as JetStream encodes it in the subject its acknowledgement goes to. */
export interface DeliveryInfo {
  readonly stream: string;
  readonly consumer: string;
  /** 1 the first time; counts every delivery, rejected or timed out. */
  readonly deliveryCount: number;
  readonly streamSequence: number;
}

/**
 * Reads `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>` and the
 * newer form with `<domain>.<account hash>` after `ACK` and a random token at the end.
 */
export function parseAckSubject(subject: string): DeliveryInfo | undefined {
  const tokens = subject.split('.');
  if (tokens.length === 9) tokens.splice(2, 0, '_', '');
  if (tokens.length < 11 || tokens[0] !== '$JS' || tokens[1] !== 'ACK') return undefined;
  const [, , , , stream = '', consumer = '', delivered = '', sequence = ''] = tokens;
  return { stream, consumer, deliveryCount: Number(delivered), streamSequence: Number(sequence) };
}

/** A message pulled from a consumer, with the replies JetStream understands. */
export interface PulledMessage {
  readonly msg: Msg;
  readonly info: DeliveryInfo;
  /** Acknowledges and resolves once the server confirms it has recorded the acknowledgement. */
  ack(timeoutMs: number): Promise<void>;
  /** Asks for redelivery after `delayMs` (at once when 0). */
  nak(delayMs?: number): void;
  /** Restarts the ack_wait clock: the handler is still at work. */
  working(): void;
}

export function toPulledMessage(nc: NatsConnection, msg: Msg, info: DeliveryInfo): PulledMessage {
  const reply = msg.reply ?? '';
  return {
    msg,
    info,
    ack: async (timeoutMs) => {
      // Sent as a request, the server answers once the ack is recorded.
      await nc.request(reply, ACK, { timeout: timeoutMs });
    },
    nak: (delayMs = 0) => {
      nc.publish(reply, delayMs > 0 ? `-NAK ${JSON.stringify({ delay: Math.round(delayMs * 1_000_000) })}` : '-NAK');
    },
    working: () => {
      nc.publish(reply, WORKING);
    },
  };
}
