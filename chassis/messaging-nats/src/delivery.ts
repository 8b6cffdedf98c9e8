import type { Delivery } from '@talad/messaging';
import { decodeHeaderValue, KEY_HEADER } from './names.ts';
import type { PulledMessage } from './pulled-message.ts';

/** Rebuilds the transport message from a JetStream message published by this adapter. */
export function toDelivery({ msg, info }: PulledMessage, topic: string, partition: number): Delivery {
  const id = msg.headers?.get('Nats-Msg-Id') ?? '';
  const key = msg.headers?.get(KEY_HEADER) ?? '';
  return {
    message: {
      // A message published without an id (by hand, say) still gets a stable one, so inboxes can key on it.
      id: id === '' ? `nats:${info.stream}:${info.streamSequence}` : decodeHeaderValue(id),
      topic,
      key: decodeHeaderValue(key),
      // A plain copy: the received bytes are a Buffer view into the socket's read buffer.
      body: new Uint8Array(msg.data),
    },
    partition,
    deliveryAttempt: info.deliveryCount,
  };
}
