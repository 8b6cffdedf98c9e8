import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { Delivery, TransportMessage } from '@talad/messaging';

export { delay as sleep, uniqueName, waitFor } from '@talad/messaging/testing';

/** The NATS server that integration tests use: a real one, never a mock. */
export const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** Deletes every stream, and with them their consumers, whose name starts with `<prefix>_`. */
export async function deleteStreams(prefix: string, url = natsUrl): Promise<string[]> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const deleted: string[] = [];
    for await (const name of jsm.streams.names()) {
      if (!name.startsWith(`${prefix}_`)) continue;
      await jsm.streams.delete(name);
      deleted.push(name);
    }
    return deleted;
  } finally {
    await nc.close();
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A message whose body records its key and its place in that key's sequence. */
export function testMessage(topic: string, key: string, sequence: number, id = `${key}-${sequence}`): TransportMessage {
  return { id, topic, key, body: encoder.encode(JSON.stringify({ key, sequence })) };
}

export function sequenceOf(delivery: Delivery): number {
  return (JSON.parse(decoder.decode(delivery.message.body)) as { sequence: number }).sequence;
}
