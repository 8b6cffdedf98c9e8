import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Delivery } from '@talad/messaging';
import { createNatsTransport } from './nats-transport.ts';
import { startPrivateNatsServer, type PrivateNatsServer } from './testing/nats-server.ts';
import { deleteStreams, sequenceOf, sleep, testMessage, uniqueName, waitFor } from './testing/support.ts';

// The broker is killed and restarted here, so this file runs its own nats-server, never the shared one.
let server: PrivateNatsServer;
const prefix = uniqueName('reconnect');

beforeAll(async () => {
  server = await startPrivateNatsServer();
});

afterAll(async () => {
  await server.start().catch(() => undefined);
  await deleteStreams(prefix, server.url);
  await server.destroy();
});

it('survives a broker crash and restart: publish rejects meanwhile, consumers resume, nothing is lost', async () => {
  // A killed server may come back without the acks it took last (it writes consumer state lazily): those
  // messages are delivered again after ack_wait, shortened here to keep the test quick.
  const nats = createNatsTransport({ url: server.url, namePrefix: prefix, requestTimeoutMs: 2_000, ackWaitMs: 2_000 });
  try {
    const deliveries: Delivery[] = [];
    await nats.consume({
      group: 'survivors',
      topics: ['outage.events'],
      concurrency: 8,
      handle: async (delivery) => void deliveries.push(delivery),
    });
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const round = (sequence: number) => keys.map((key) => testMessage('outage.events', key, sequence));
    for (let sequence = 0; sequence < 10; sequence++) await nats.publish(round(sequence));
    await waitFor('the first rounds', () => deliveries.length >= 50);

    await server.kill();
    await expect(nats.publish(round(10))).rejects.toThrow();
    await expect(nats.ping()).rejects.toThrow();

    await server.start();
    const deadline = Date.now() + 20_000;
    while (
      !(await nats.ping().then(
        () => true,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error('no reconnect');
      await sleep(100);
    }
    // The relay publishes again what was rejected, then goes on.
    for (let sequence = 10; sequence < 20; sequence++) await nats.publish(round(sequence));
    await waitFor(
      'everything after the restart',
      () => new Set(deliveries.map((each) => each.message.id)).size >= 100,
      40_000,
    );

    for (const key of keys) {
      const firstSeen: number[] = [];
      for (const delivery of deliveries) {
        const sequence = sequenceOf(delivery);
        if (delivery.message.key === key && !firstSeen.includes(sequence)) firstSeen.push(sequence);
      }
      expect(firstSeen).toEqual(Array.from({ length: 20 }, (_, sequence) => sequence));
    }
  } finally {
    await nats.close();
  }
});
