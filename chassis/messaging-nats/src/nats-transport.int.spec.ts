import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { partitionOf, type Consumer, type Delivery, type Transport } from '@talad/messaging';
import { createNatsTransport } from './nats-transport.ts';
import type { NatsTransportOptions } from './options.ts';
import { deleteStreams, natsUrl, sequenceOf, sleep, testMessage, uniqueName, waitFor } from './testing/support.ts';

const prefix = uniqueName('core');
const open: Transport[] = [];

function transport(options: Partial<NatsTransportOptions> = {}): Transport {
  // Short pull requests: stopping waits for an idle partition's open request to expire.
  const created = createNatsTransport({ url: natsUrl, namePrefix: prefix, pullExpiresMs: 1_000, ...options });
  open.push(created);
  return created;
}

/** A group member that records what it handled. */
async function recorder(
  on: Transport,
  group: string,
  topics: string[],
  handle: (delivery: Delivery) => Promise<void> = async () => undefined,
): Promise<{ deliveries: Delivery[]; consumer: Consumer }> {
  const deliveries: Delivery[] = [];
  const consumer = await on.consume({
    group,
    topics,
    concurrency: 8,
    handle: async (delivery) => {
      deliveries.push(delivery);
      await handle(delivery);
    },
  });
  return { deliveries, consumer };
}

async function storedMessages(topic: string): Promise<number> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(`${prefix}_${topic.replaceAll('.', '_')}`);
    return info.state.messages;
  } finally {
    await nc.close();
  }
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((each) => each.close()));
});

afterAll(async () => {
  const deleted = await deleteStreams(prefix);
  expect(deleted.length).toBeGreaterThan(0);
});

describe('publish and consume', () => {
  it('delivers id, key and body intact, from the key’s partition, on the first attempt', async () => {
    const nats = transport();
    const { deliveries } = await recorder(nats, 'roundtrip', ['orders.events']);
    const messages = [
      testMessage('orders.events', 'order-1', 1),
      { id: 'id with spaces/ü', topic: 'orders.events', key: 'ключ ✓', body: new Uint8Array([0, 255, 10, 13, 0]) },
      { id: 'empty-body', topic: 'orders.events', key: 'order-2', body: new Uint8Array(0) },
    ];
    await nats.publish(messages);
    await waitFor('three deliveries', () => deliveries.length === 3);
    for (const message of messages) {
      const delivery = deliveries.find((each) => each.message.id === message.id);
      expect(delivery?.message).toEqual({ ...message, body: new Uint8Array(message.body) });
      expect(delivery?.partition).toBe(partitionOf(message.key, 8));
      expect(delivery?.deliveryAttempt).toBe(1);
    }
  });

  it('stores a message published twice with the same id within the window once, and delivers it once', async () => {
    const nats = transport();
    const { deliveries } = await recorder(nats, 'dedup', ['dedup.events']);
    const message = testMessage('dedup.events', 'k', 1);
    await nats.publish([message, message]);
    await nats.publish([message]);
    // publish resolved: the broker holds the message already.
    expect(await storedMessages('dedup.events')).toBe(1);
    await nats.publish([testMessage('dedup.events', 'k', 2)]);
    await waitFor('the next message', () => deliveries.some((each) => sequenceOf(each) === 2));
    expect(deliveries.map((each) => each.message.id)).toEqual(['k-1', 'k-2']);
  });

  it('gives every group its own copy of every message', async () => {
    const nats = transport();
    const a = await recorder(nats, 'group-a', ['fanout.events']);
    const b = await recorder(transport(), 'group-b', ['fanout.events']);
    const messages = Array.from({ length: 40 }, (_, index) => testMessage('fanout.events', `key-${index % 7}`, index));
    await nats.publish(messages);
    await waitFor('both groups to have everything', () => a.deliveries.length >= 40 && b.deliveries.length >= 40);
    await sleep(300);
    const ids = messages.map((message) => message.id).sort();
    expect(a.deliveries.map((each) => each.message.id).sort()).toEqual(ids);
    expect(b.deliveries.map((each) => each.message.id).sort()).toEqual(ids);
  });

  it('gives a group what was published after it first subscribed, and keeps its place across restarts', async () => {
    const nats = transport();
    await nats.publish([testMessage('late.events', 'k', 0)]);
    const first = await recorder(nats, 'late', ['late.events']);
    await nats.publish([testMessage('late.events', 'k', 1)]);
    await waitFor('message 1', () => first.deliveries.length === 1);
    await first.consumer.stop();
    await nats.publish([testMessage('late.events', 'k', 2), testMessage('late.events', 'k', 3)]);
    const second = await recorder(transport(), 'late', ['late.events']);
    await waitFor('messages 2 and 3', () => second.deliveries.length === 2);
    await sleep(200);
    expect(first.deliveries.map(sequenceOf)).toEqual([1]);
    expect(second.deliveries.map(sequenceOf)).toEqual([2, 3]);
  });

  it('refuses an instance configured with another partition count than the stream was created with', async () => {
    await transport().publish([testMessage('parts.events', 'k', 1)]);
    await expect(transport({ partitions: 4 }).publish([testMessage('parts.events', 'k', 2)])).rejects.toThrow(
      /partitions/,
    );
  });
});

describe('competing instances of one group', () => {
  it('handles each message exactly once, one at a time per partition, in per-key order', async () => {
    const keys = Array.from({ length: 20 }, (_, index) => `customer-${index}`);
    const perKey = 50;
    const handled: Array<{ instance: string; key: string; sequence: number; id: string }> = [];
    const inFlight = new Map<number, number>();
    let overlapped = false;
    const member = (instance: string) => async (delivery: Delivery) => {
      const running = (inFlight.get(delivery.partition) ?? 0) + 1;
      inFlight.set(delivery.partition, running);
      if (running > 1) overlapped = true;
      handled.push({ instance, key: delivery.message.key, sequence: sequenceOf(delivery), id: delivery.message.id });
      if (Math.random() < 0.1) await sleep(2);
      inFlight.set(delivery.partition, running - 1);
    };
    const one = transport();
    const two = transport();
    await recorder(one, 'workers', ['work.events'], member('one'));
    await recorder(two, 'workers', ['work.events'], member('two'));

    // As an outbox relay would: batches of 100, keys interleaved, each key's messages in order.
    const all = Array.from({ length: perKey }, (_, sequence) =>
      keys.map((key) => testMessage('work.events', key, sequence)),
    ).flat();
    for (let start = 0; start < all.length; start += 100) await one.publish(all.slice(start, start + 100));

    await waitFor('every message', () => handled.length >= all.length, 60_000);
    await sleep(500);
    expect(handled).toHaveLength(all.length);
    expect(new Set(handled.map((each) => each.id)).size).toBe(all.length);
    expect(overlapped).toBe(false);
    for (const key of keys) {
      const sequences = handled.filter((each) => each.key === key).map((each) => each.sequence);
      expect(sequences).toEqual(Array.from({ length: perKey }, (_, sequence) => sequence));
    }
    expect(handled.some((each) => each.instance === 'one')).toBe(true);
    expect(handled.some((each) => each.instance === 'two')).toBe(true);
  });
});

describe('concurrency', () => {
  it('never runs more handlers at once than `concurrency`, across partitions', async () => {
    const nats = transport();
    let running = 0;
    let most = 0;
    let handled = 0;
    await nats.consume({
      group: 'narrow',
      topics: ['narrow.events', 'narrow.other'],
      concurrency: 2,
      handle: async () => {
        most = Math.max(most, ++running);
        await sleep(5);
        running--;
        handled++;
      },
    });
    const keys = Array.from({ length: 24 }, (_, index) => `k${index}`);
    await nats.publish([
      ...keys.map((key) => testMessage('narrow.events', key, 1)),
      ...keys.map((key) => testMessage('narrow.other', key, 1)),
    ]);
    await waitFor('every message', () => handled === keys.length * 2);
    expect(most).toBe(2);
  });

  it('loses and reorders nothing when an instance leaves mid-stream', async () => {
    const keys = Array.from({ length: 20 }, (_, index) => `key-${index}`);
    const handled: Array<{ key: string; sequence: number }> = [];
    const handle = async (delivery: Delivery) => {
      handled.push({ key: delivery.message.key, sequence: sequenceOf(delivery) });
      await sleep(1);
    };
    const leaving = await recorder(transport(), 'leavers', ['leave.events'], handle);
    const staying = transport();
    await recorder(staying, 'leavers', ['leave.events'], handle);
    const all = Array.from({ length: 30 }, (_, sequence) =>
      keys.map((key) => testMessage('leave.events', key, sequence)),
    ).flat();
    const publishing = (async () => {
      for (let start = 0; start < all.length; start += 20) await staying.publish(all.slice(start, start + 20));
    })();
    await waitFor('a third of the stream', () => handled.length >= all.length / 3);
    await leaving.consumer.stop();
    await publishing;
    // Well inside ack_wait (30 s): no partition waited for a message lost in the departed instance.
    await waitFor('the rest, from the instance that stayed', () => handled.length >= all.length, 10_000);
    await sleep(300);
    expect(handled).toHaveLength(all.length);
    for (const key of keys) {
      expect(handled.filter((each) => each.key === key).map((each) => each.sequence)).toEqual(
        Array.from({ length: 30 }, (_, sequence) => sequence),
      );
    }
  });
});

describe('failures', () => {
  it('delivers a rejected message again, with a growing attempt count, before later messages of its key', async () => {
    const nats = transport();
    const seen: Array<[number, number]> = [];
    await recorder(nats, 'retry', ['retry.events'], async (delivery) => {
      seen.push([sequenceOf(delivery), delivery.deliveryAttempt]);
      if (sequenceOf(delivery) === 0 && delivery.deliveryAttempt < 3) throw new Error('not yet');
    });
    await nats.publish([0, 1, 2].map((sequence) => testMessage('retry.events', 'same-key', sequence)));
    await waitFor('all three handled', () => seen.some(([sequence]) => sequence === 2));
    expect(seen).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 1],
      [2, 1],
    ]);
  });

  it('with a delivery limit, gives a message up after it and says so, while later messages flow', async () => {
    const errors: string[] = [];
    const logger = {
      info: () => undefined,
      warn: () => undefined,
      error: (_: unknown, message: string) => errors.push(message),
    };
    const nats = transport({ maxDeliver: 2, logger, redeliveryDelayMs: () => 50 });
    const seen: Array<[number, number]> = [];
    await recorder(nats, 'limited', ['limited.events'], async (delivery) => {
      seen.push([sequenceOf(delivery), delivery.deliveryAttempt]);
      if (sequenceOf(delivery) === 0) throw new Error('poison');
    });
    await nats.publish([0, 1].map((sequence) => testMessage('limited.events', 'k', sequence)));
    await waitFor('the next message', () => seen.some(([sequence]) => sequence === 1));
    await waitFor('the advisory', () => errors.some((message) => message.includes('given up')));
    expect(seen).toEqual([
      [0, 1],
      [0, 2],
      [1, 1],
    ]);
  });

  it('keeps a message with a handler that runs past ack_wait, without redelivering it elsewhere', async () => {
    const one = transport({ ackWaitMs: 1_000 });
    const two = transport({ ackWaitMs: 1_000 });
    const slow = await recorder(one, 'slow', ['slow.events'], () => sleep(3_500));
    const other = await recorder(two, 'slow', ['slow.events']);
    await one.publish([testMessage('slow.events', 'k', 1)]);
    await waitFor('the slow handler to finish', () => slow.deliveries.length + other.deliveries.length >= 1);
    await slow.consumer.stop();
    await other.consumer.stop();
    await sleep(1_500);
    expect([...slow.deliveries, ...other.deliveries].map((each) => each.deliveryAttempt)).toEqual([1]);
  });
});

describe('stopping', () => {
  it('stop() waits for the handler in flight and its acknowledgement', async () => {
    const nats = transport();
    let finish: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const first = await recorder(nats, 'stopper', ['stop.events'], () => gate);
    await nats.publish([testMessage('stop.events', 'k', 1)]);
    await waitFor('the handler to start', () => first.deliveries.length === 1);
    let stopped = false;
    const stopping = first.consumer.stop().then(() => (stopped = true));
    await sleep(300);
    expect(stopped).toBe(false);
    finish();
    await stopping;

    // Acknowledged: the group's next instance gets the next message and not this one again.
    const second = await recorder(transport(), 'stopper', ['stop.events']);
    await nats.publish([testMessage('stop.events', 'k', 2)]);
    await waitFor('the next message', () => second.deliveries.length === 1);
    await sleep(300);
    expect(second.deliveries.map(sequenceOf)).toEqual([2]);
  });

  it('hands a stopped instance’s partitions to the others at once, not after ack_wait', async () => {
    const nats = transport({ ackWaitMs: 30_000 });
    const first = await recorder(nats, 'handover', ['handover.events']);
    const keys = Array.from({ length: 16 }, (_, index) => `k${index}`);
    await nats.publish(keys.map((key) => testMessage('handover.events', key, 1)));
    await waitFor('the first round', () => first.deliveries.length === keys.length);
    await first.consumer.stop();
    const second = await recorder(transport(), 'handover', ['handover.events']);
    const started = Date.now();
    await nats.publish(keys.map((key) => testMessage('handover.events', key, 2)));
    await waitFor('the second round', () => second.deliveries.length === keys.length, 10_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(first.deliveries).toHaveLength(keys.length);
  });

  it('answers ping while connected; after close it rejects publish and consume', async () => {
    const nats = transport();
    await expect(nats.ping()).resolves.toBeUndefined();
    const { deliveries } = await recorder(nats, 'closing', ['close.events']);
    await nats.publish([testMessage('close.events', 'k', 1)]);
    await waitFor('the message', () => deliveries.length === 1);
    await nats.close();
    await expect(nats.publish([testMessage('close.events', 'k', 2)])).rejects.toThrow(/closed/);
    await expect(
      nats.consume({ group: 'x', topics: ['close.events'], concurrency: 1, handle: async () => undefined }),
    ).rejects.toThrow(/closed/);
    await expect(nats.ping()).rejects.toThrow(/closed/);
  });

  it('rejects ping and publish while the server cannot be reached', async () => {
    const nowhere = transport({ url: 'nats://127.0.0.1:1', requestTimeoutMs: 1_000 });
    await expect(nowhere.ping()).rejects.toThrow();
    await expect(nowhere.publish([testMessage('nowhere.events', 'k', 1)])).rejects.toThrow();
  });
});
