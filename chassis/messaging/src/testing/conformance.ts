import { context, trace, SpanKind } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '@talad/core';
import { encodeEnvelope, type Envelope } from '../envelope.ts';
import type { IncomingMessage } from '../received-message.ts';
import { partitionOf } from '../transport.ts';
import {
  createMessagingHarness,
  delay,
  eventually,
  gate,
  type MessagingHarness,
  type TestInstance,
  type TestService,
  type TransportFactory,
} from './harness.ts';

export interface ConformanceOptions {
  /** When set, the suite is registered but skipped, printing this reason (e.g. "RabbitMQ is not running"). */
  skipReason?: string | undefined;
  /**
   * Makes the broker unreachable for every transport (refusing connections, dropping open ones) and
   * resolves to a function that brings it back. Enables the broker-outage scenario.
   */
  outage?: () => Promise<() => Promise<void>>;
  /** Runs after each scenario, once its instances are stopped: deletes what it left on the broker. */
  cleanup?: () => Promise<void>;
}

/**
 * Registers the end-to-end messaging scenarios (outbox, relay, transport, inbox, retries, dead letters,
 * ordering, groups, tracing, shutdown) as Vitest tests against one transport. Every adapter calls it
 * from an `*.int.spec.ts`, so each scenario of shared/CONSISTENCY.md runs on every broker.
 *
 * @example
 * // chassis/messaging-postgres/src/conformance.int.spec.ts
 * describeMessagingConformance('postgres', () => createPostgresTransport({ url: logDatabase.url }));
 */
export function describeMessagingConformance(
  transportName: string,
  makeTransport: TransportFactory,
  options: ConformanceOptions = {},
): void {
  const suite = options.skipReason ? describe.skip : describe;
  suite(
    `messaging conformance on ${transportName}${options.skipReason ? ` (skipped: ${options.skipReason})` : ''}`,
    () => {
      let harness: MessagingHarness;

      beforeEach(() => {
        harness = createMessagingHarness(makeTransport);
      });
      afterEach(async () => {
        await harness.close();
        await options.cleanup?.();
      });

      /** A consumer service whose handler records an effect per message (after `before`, when given). */
      async function recordingConsumer(
        producer: TestService,
        settings: Parameters<TestService['instance']>[0] & {
          before?: (message: IncomingMessage) => Promise<void>;
        } = {},
      ): Promise<{ service: TestService; instance: TestInstance }> {
        const service = await harness.service();
        const instance = await addRecordingInstance(service, producer, settings);
        return { service, instance };
      }

      async function addRecordingInstance(
        service: TestService,
        producer: TestService,
        settings: Parameters<TestService['instance']>[0] & {
          before?: (message: IncomingMessage) => Promise<void>;
        } = {},
      ): Promise<TestInstance> {
        const { before, ...instanceOptions } = settings;
        return service.instance({
          ...instanceOptions,
          subscribe: (messaging, instance) =>
            messaging.subscribe({
              messages: [producer.contract.ItemAdded],
              handler: async (message, tx) => {
                await before?.(message);
                await service.recordEffect(tx, message, instance);
              },
            }),
        });
      }

      async function publishItem(
        instance: TestInstance,
        producer: TestService,
        n: number,
        key: string,
      ): Promise<string> {
        return instance.messaging.transaction((tx) =>
          instance.messaging.publish(tx, producer.contract.ItemAdded, { n }, { key }),
        );
      }

      it('delivers a message published in a transaction once, as a CloudEvent with its conversation ids', async () => {
        const shop = await harness.service();
        const seen: IncomingMessage[] = [];
        const { service: warehouse } = await recordingConsumer(shop, {
          before: async (message) => {
            seen.push(message);
          },
        });
        const producer = await shop.instance();

        const id = await publishItem(producer, shop, 1, 'item-1');

        await eventually(
          () => warehouse.effects(),
          (effects) => effects.length === 1,
          { what: 'the effect' },
        );
        expect(seen[0]).toMatchObject({
          id,
          type: shop.contract.ItemAdded.type,
          data: { n: 1 },
          subject: 'item-1',
          source: `/talad/${shop.name}`,
          correlationId: id,
          causationId: undefined,
          topic: `${shop.name}.events`,
          attempt: 1,
        });
        expect(seen[0]?.envelope).toMatchObject({ specversion: '1.0', datacontenttype: 'application/json' });
        await eventually(
          () => outboxDepth(shop),
          (depth) => depth === 0,
          { what: 'a drained outbox' },
        );
        await delay(300);
        expect(await warehouse.effects()).toHaveLength(1);
      });

      it('publishes nothing from a rolled-back transaction and does not stall behind it', async () => {
        const shop = await harness.service();
        const { service: warehouse } = await recordingConsumer(shop);
        const producer = await shop.instance();

        await expect(
          producer.messaging.transaction(async (tx) => {
            await producer.messaging.publish(tx, shop.contract.ItemAdded, { n: 1 }, { key: 'a' });
            throw new Error('changed my mind');
          }),
        ).rejects.toThrow('changed my mind');
        await publishItem(producer, shop, 2, 'b');

        const effects = await eventually(
          () => warehouse.effects(),
          (rows) => rows.length >= 1,
        );
        await delay(300);
        expect((await warehouse.effects()).map((effect) => effect.n)).toEqual([2]);
        expect(effects[0]?.n).toBe(2);
      });

      it('never skips a transaction that wrote first and committed last', async () => {
        const shop = await harness.service();
        const { service: warehouse } = await recordingConsumer(shop);
        const producer = await shop.instance();

        const slow = await shop.pool.connect();
        try {
          await slow.query('BEGIN');
          await producer.messaging.publish(slow, shop.contract.ItemAdded, { n: 1 }, { key: 'first' });
          await publishItem(producer, shop, 2, 'second');
          // The later transaction goes through while the earlier one is still open...
          await eventually(
            () => warehouse.effects(),
            (rows) => rows.some((row) => row.n === 2),
            {
              what: 'the message of the transaction that committed first',
            },
          );
          await slow.query('COMMIT');
        } finally {
          slow.release();
        }
        // ...and the earlier one is not skipped once it commits.
        const effects = await eventually(
          () => warehouse.effects(),
          (rows) => rows.length === 2,
          {
            what: 'both messages',
          },
        );
        expect(effects.map((effect) => effect.n).sort()).toEqual([1, 2]);
      });

      it('runs one relay per service, and a standby takes over when the active one loses its connection', async () => {
        const shop = await harness.service();
        const { service: warehouse } = await recordingConsumer(shop);
        const relay = { standbyRetryMs: 100, reconnectDelayMs: 1_500 };
        const first = await shop.instance({ relay });
        const second = await shop.instance({ relay });
        const states = (): string => [first.messaging.relay.state, second.messaging.relay.state].sort().join(',');
        await eventually(states, (value) => value === 'active,standby', { what: 'one active relay' });
        const [active, standby] = first.messaging.relay.state === 'active' ? [first, second] : [second, first];

        for (let n = 0; n < 5; n++) await publishItem(standby, shop, n, `key-${n}`);
        await eventually(
          () => warehouse.effects(),
          (rows) => rows.length === 5,
        );
        // A broker may deliver a message before its publisher has the confirm: count once confirmed.
        await publishedBy(active, 5);
        expect(await standby.metric('messaging_published_total')).toBe(0);

        const killed = await shop.pool.query(
          `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $1`,
          [`${shop.name}/outbox-relay`],
        );
        expect(killed.rowCount).toBe(1);
        await eventually(
          () => standby.messaging.relay.state,
          (state) => state === 'active',
          {
            what: 'the standby to take over',
          },
        );
        for (let n = 5; n < 10; n++) await publishItem(active, shop, n, `key-${n}`);
        const effects = await eventually(
          () => warehouse.effects(),
          (rows) => rows.length === 10,
        );
        expect(new Set(effects.map((effect) => effect.n)).size).toBe(10);
        await publishedBy(standby, 5);
        // The instance that lost its connection comes back as the standby.
        await eventually(
          () => active.messaging.relay.state,
          (state) => state === 'standby',
        );
        expect(states()).toBe('active,standby');
      });

      it('handles a message delivered twice, even at the same time, once (inbox)', async () => {
        const shop = await harness.service();
        const { service: warehouse, instance: consumer } = await recordingConsumer(shop, {
          // Slow enough that both deliveries are in their transactions at once.
          before: () => delay(200),
        });
        const producer = await shop.instance();
        const body = encodeEnvelope(envelopeOf(shop, { n: 7 }));
        const [keyA, keyB] = keysInDistinctPartitions(2, producer.transport.partitions);
        const topic = `${shop.name}.events`;

        // The same CloudEvent twice, under two transport ids and keys, so two partitions deliver it concurrently.
        await producer.transport.publish([
          { id: newId(), topic, key: keyA ?? 'a', body },
          { id: newId(), topic, key: keyB ?? 'b', body },
        ]);
        await eventually(
          async () =>
            (await consumer.metric('messaging_consumed_total', { outcome: 'handled' })) +
            (await consumer.metric('messaging_consumed_total', { outcome: 'duplicate' })),
          (total) => total === 2,
          { what: 'both deliveries' },
        );
        // And once more, later, on the first key.
        await producer.transport.publish([{ id: newId(), topic, key: keyA ?? 'a', body }]);
        await eventually(
          () => consumer.metric('messaging_consumed_total', { outcome: 'duplicate' }),
          (duplicates) => duplicates === 2,
        );
        expect(await warehouse.effects()).toHaveLength(1);
        expect(await consumer.metric('messaging_consumed_total', { outcome: 'handled' })).toBe(1);
      });

      it('retries a failing handler with backoff and keeps one effect', async () => {
        const shop = await harness.service();
        const attempts: number[] = [];
        const { service: warehouse, instance: consumer } = await recordingConsumer(shop, {
          retry: { attempts: 5, initialDelayMs: 20, maxDelayMs: 50 },
          before: async (message) => {
            attempts.push(message.attempt);
            if (message.attempt < 3) throw new Error(`flaky ${message.attempt}`);
          },
        });
        const producer = await shop.instance();

        await publishItem(producer, shop, 1, 'flaky');

        await eventually(
          () => warehouse.effects(),
          (rows) => rows.length === 1,
        );
        expect(attempts).toEqual([1, 2, 3]);
        expect(await consumer.metric('messaging_retried_total')).toBe(2);
        expect(await consumer.messaging.deadLetters.list()).toEqual([]);
      });

      it('does not count a lost database connection against the message', async () => {
        const shop = await harness.service();
        let killedOnce = false;
        const warehouse = await harness.service();
        const consumer = await warehouse.instance({
          // One attempt: a handler failure would be dead-lettered at once.
          retry: { attempts: 1, initialDelayMs: 20, maxDelayMs: 50 },
          subscribe: (messaging, instance) =>
            messaging.subscribe({
              messages: [shop.contract.ItemAdded],
              handler: async (message, tx) => {
                if (!killedOnce) {
                  killedOnce = true;
                  await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
                }
                await warehouse.recordEffect(tx, message, instance);
              },
            }),
        });
        const producer = await shop.instance();

        await publishItem(producer, shop, 1, 'outage');

        await eventually(
          () => warehouse.effects(),
          (rows) => rows.length === 1,
        );
        expect(killedOnce).toBe(true);
        expect(await consumer.messaging.deadLetters.list()).toEqual([]);
      });

      it('dead-letters a poison message after its retries while other keys keep flowing', async () => {
        const shop = await harness.service();
        const poisonGate = gate();
        const poisonKey = 'poison';
        const { service: warehouse, instance: consumer } = await recordingConsumer(shop, {
          retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
          before: async (message) => {
            if ((message.data as { n: number }).n !== 666) return;
            if (message.attempt === 1) await poisonGate.promise;
            throw new Error('poisoned');
          },
        });
        const producer = await shop.instance();
        const partitions = producer.transport.partitions;
        const otherKeys = keysInDistinctPartitions(partitions, partitions).filter(
          (key) => partitionOf(key, partitions) !== partitionOf(poisonKey, partitions),
        );

        await publishItem(producer, shop, 666, poisonKey);
        for (const [index, key] of otherKeys.entries()) await publishItem(producer, shop, index, key);
        await publishItem(producer, shop, 1000, poisonKey);

        // While the poison message is stuck, every other partition flows...
        const flowed = await eventually(
          () => warehouse.effects(),
          (rows) => rows.length === otherKeys.length,
          {
            what: 'the other keys',
          },
        );
        expect(flowed.every((effect) => effect.key !== poisonKey)).toBe(true);
        expect(await consumer.messaging.deadLetters.list()).toEqual([]);

        // ...and once it has failed its three attempts it is dead-lettered and its key moves on.
        poisonGate.open();
        const [deadLetter] = await eventually(
          () => consumer.messaging.deadLetters.list(),
          (letters) => letters.length === 1,
          { what: 'the dead letter' },
        );
        expect(deadLetter).toMatchObject({
          group: warehouse.name,
          key: poisonKey,
          type: shop.contract.ItemAdded.type,
          failure: 'handler-failed',
          attempts: 3,
          replayedAt: null,
        });
        expect(deadLetter?.reason).toContain('poisoned');
        const effects = await eventually(
          () => warehouse.effects(),
          (rows) => rows.some((row) => row.n === 1000),
        );
        expect(effects.filter((effect) => effect.key === poisonKey).map((effect) => effect.n)).toEqual([1000]);
        expect(await consumer.metric('messaging_dead_lettered_total', { failure: 'handler-failed' })).toBe(1);
        expect(await consumer.metric('messaging_retried_total')).toBe(2);
      });

      it('dead-letters unreadable bodies, unknown types and versions and invalid data, with the reason', async () => {
        const shop = await harness.service();
        const warehouse = await harness.service();
        const consumer = await warehouse.instance({
          subscribe: (messaging, instance) =>
            messaging.subscribe({
              messages: [shop.contract.ItemAdded, shop.contract.ReserveItem],
              handler: async (message, tx) => warehouse.recordEffect(tx, message, instance),
            }),
        });
        const producer = await shop.instance();
        const events = `${shop.name}.events`;
        const commands = `${shop.name}.commands`;
        const raw = (topic: string, key: string, body: Uint8Array | string) => ({
          id: newId(),
          topic,
          key,
          body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
        });

        await producer.transport.publish([
          raw(events, 'k1', '{"specversion": "1.0", "id": '),
          raw(events, 'k2', encodeEnvelope(envelopeOf(shop, { n: 1 }, { type: `${shop.name}.ItemAdded.v2` }))),
          raw(events, 'k3', encodeEnvelope(envelopeOf(shop, { n: 'one' }))),
          raw(commands, 'k4', encodeEnvelope(envelopeOf(shop, { n: 1 }, { type: `${shop.name}.CancelItem.v1` }))),
          // An event type nobody here subscribed to is not an error: it is skipped.
          raw(events, 'k5', encodeEnvelope(envelopeOf(shop, { n: 1 }, { type: shop.contract.ItemRemoved.type }))),
          raw(events, 'k6', encodeEnvelope(envelopeOf(shop, { n: 42 }))),
        ]);

        const letters = await eventually(
          () => consumer.messaging.deadLetters.list(),
          (rows) => rows.length === 4,
          { what: 'four dead letters' },
        );
        const byKey = new Map(letters.map((letter) => [letter.key, letter]));
        expect(byKey.get('k1')).toMatchObject({ failure: 'malformed', type: null });
        expect(byKey.get('k1')?.reason).toMatch(/not UTF-8 JSON/);
        expect(byKey.get('k2')).toMatchObject({ failure: 'unknown-version' });
        expect(byKey.get('k2')?.reason).toMatch(/handles .*ItemAdded v1, not v2/);
        expect(byKey.get('k3')).toMatchObject({ failure: 'invalid-data', type: shop.contract.ItemAdded.type });
        expect(byKey.get('k3')?.reason).toMatch(/n/);
        expect(byKey.get('k4')).toMatchObject({ failure: 'unknown-type', topic: commands });
        const malformed = await consumer.messaging.deadLetters.show(byKey.get('k1')?.id ?? '');
        expect(malformed).toMatchObject({ body: '{"specversion": "1.0", "id": ', bodyEncoding: 'utf8' });

        await eventually(
          () => warehouse.effects(),
          (rows) => rows.length === 1,
        );
        expect((await warehouse.effects())[0]?.n).toBe(42);
        await eventually(
          () => consumer.metric('messaging_consumed_total', { outcome: 'ignored' }),
          (ignored) => ignored === 1,
        );
      });

      it('replays a dead letter once, however often the replay is asked for', async () => {
        const shop = await harness.service();
        let broken = true;
        const { service: warehouse, instance: consumer } = await recordingConsumer(shop, {
          retry: { attempts: 2, initialDelayMs: 20, maxDelayMs: 20 },
          before: async () => {
            if (broken) throw new Error('not yet');
          },
        });
        const producer = await shop.instance();
        const id = await publishItem(producer, shop, 5, 'replayed');
        const [deadLetter] = await eventually(
          () => consumer.messaging.deadLetters.list(),
          (letters) => letters.length === 1,
        );
        expect(deadLetter?.messageId).toBe(id);

        broken = false;
        const outcomes = await Promise.all([
          consumer.messaging.deadLetters.replay(deadLetter?.id ?? ''),
          consumer.messaging.deadLetters.replay(deadLetter?.id ?? ''),
        ]);
        expect(outcomes.map((outcome) => outcome?.replayed).sort()).toEqual([false, true]);
        await eventually(
          () => warehouse.effects(),
          (rows) => rows.length === 1,
        );
        expect((await consumer.messaging.deadLetters.replay(deadLetter?.id ?? ''))?.replayed).toBe(false);
        await delay(300);
        expect(await warehouse.effects()).toHaveLength(1);
        expect((await warehouse.effects())[0]?.messageId).toBe(id);
        await publishedBy(consumer, 1);
        expect(await consumer.messaging.deadLetters.list()).toEqual([]);
        expect(await consumer.messaging.deadLetters.show(deadLetter?.id ?? '')).toMatchObject({ replayCount: 1 });
        expect(await consumer.messaging.deadLetters.replay(newId())).toBeUndefined();
      });

      it('keeps each key in order while many keys are handled concurrently', async () => {
        const shop = await harness.service();
        const { service: warehouse } = await recordingConsumer(shop, {
          concurrency: 8,
          before: () => delay(Math.random() * 4),
        });
        const producer = await shop.instance();
        const keys = Array.from({ length: 6 }, (_, index) => `order-${index}`);
        const perKey = 25;

        await Promise.all(
          keys.map(async (key) => {
            for (let n = 0; n < perKey; n++) await publishItem(producer, shop, n, key);
          }),
        );

        const effects = await eventually(
          () => warehouse.effects(),
          (rows) => rows.length === keys.length * perKey,
          {
            what: 'every message',
            timeoutMs: 40_000,
          },
        );
        for (const key of keys) {
          expect(effects.filter((effect) => effect.key === key).map((effect) => effect.n)).toEqual(
            Array.from({ length: perKey }, (_, n) => n),
          );
        }
      });

      it('keeps each key in order when an instance stops mid-stream and the other takes its partitions over', async () => {
        const shop = await harness.service();
        const warehouse = await harness.service();
        const slowly = { before: () => delay(2) };
        const first = await addRecordingInstance(warehouse, shop, slowly);
        const second = await addRecordingInstance(warehouse, shop, slowly);
        const producer = await shop.instance();
        const keys = Array.from({ length: 8 }, (_, index) => `order-${index}`);
        const perKey = 20;

        const publishing = (async () => {
          for (let n = 0; n < perKey; n++) {
            for (const key of keys) await publishItem(producer, shop, n, key);
          }
        })();
        const handled = (instance: TestInstance): Promise<number> =>
          instance.metric('messaging_consumed_total', { outcome: 'handled' });
        await eventually(
          async () => (await handled(first)) + (await handled(second)),
          (count) => count >= keys.length * 4,
          { what: 'the first messages' },
        );
        // Whichever handles more stops, with messages of its partitions still to come.
        const [busier] = (await handled(first)) >= (await handled(second)) ? [first] : [second];
        await busier.stop();
        await publishing;

        const effects = await eventually(
          () => warehouse.effects(),
          (rows) => rows.length >= keys.length * perKey,
          { what: 'every message', timeoutMs: 40_000 },
        );
        await delay(300);
        expect(await warehouse.effects()).toHaveLength(keys.length * perKey);
        for (const key of keys) {
          expect(effects.filter((effect) => effect.key === key).map((effect) => effect.n)).toEqual(
            Array.from({ length: perKey }, (_, n) => n),
          );
        }
      });

      it('shares partitions between two instances of one group, each message handled once', async () => {
        const shop = await harness.service();
        const warehouse = await harness.service();
        const first = await addRecordingInstance(warehouse, shop);
        const second = await addRecordingInstance(warehouse, shop);
        const producer = await shop.instance();
        const published = new Set<string>();

        const handledBy = async (): Promise<number[]> => [
          await first.metric('messaging_consumed_total', { outcome: 'handled' }),
          await second.metric('messaging_consumed_total', { outcome: 'handled' }),
        ];
        let wave = 0;
        await eventually(
          async () => {
            for (let index = 0; index < 20; index++) {
              published.add(await publishItem(producer, shop, wave * 100 + index, `key-${index}`));
            }
            wave += 1;
            return handledBy();
          },
          (counts) => counts.every((count) => count > 0),
          { what: 'both instances to handle messages', intervalMs: 200, timeoutMs: 30_000 },
        );

        const effects = await eventually(
          () => warehouse.effects(),
          (rows) => rows.length >= published.size,
          {
            what: 'every message',
          },
        );
        await delay(300);
        expect(await warehouse.effects()).toHaveLength(published.size);
        expect(new Set(effects.map((effect) => effect.messageId))).toEqual(published);
        const counts = await handledBy();
        expect((counts[0] ?? 0) + (counts[1] ?? 0)).toBe(published.size);
        expect(new Set(effects.map((effect) => effect.instance)).size).toBe(2);
      });

      it.skipIf(!options.outage)(
        'drains the backlog in per-key order once the broker is back after an outage, losing nothing',
        async () => {
          const shop = await harness.service();
          const { service: warehouse } = await recordingConsumer(shop);
          const producer = await shop.instance({ relay: { maxBrokerBackoffMs: 500 } });
          const keys = ['key-a', 'key-b', 'key-c'];
          for (let n = 0; n < 6; n++) await publishItem(producer, shop, n, keys[n % keys.length] ?? '');
          await eventually(
            () => warehouse.effects(),
            (rows) => rows.length === 6,
          );

          const restore = await options.outage?.();
          try {
            // The services' own databases are up: their transactions and outboxes carry on.
            for (let n = 6; n < 30; n++) await publishItem(producer, shop, n, keys[n % keys.length] ?? '');
            await delay(1_000);
            expect(await warehouse.effects()).toHaveLength(6);
          } finally {
            await restore?.();
          }

          const effects = await eventually(
            () => warehouse.effects(),
            (rows) => rows.length >= 30,
            {
              what: 'the backlog',
              timeoutMs: 40_000,
            },
          );
          await delay(300);
          expect(await warehouse.effects()).toHaveLength(30);
          for (const key of keys) {
            const ns = effects.filter((effect) => effect.key === key).map((effect) => effect.n);
            expect(ns).toEqual([...ns].sort((a, b) => a - b));
            expect(ns).toHaveLength(10);
          }
        },
      );

      it('gives every consumer group its own copy of every message', async () => {
        const shop = await harness.service();
        const warehouse = await harness.service();
        await warehouse.instance({
          subscribe: (messaging) => {
            for (const group of [warehouse.name, `${warehouse.name}-audit`]) {
              messaging.subscribe({
                group,
                messages: [shop.contract.ItemAdded],
                handler: async (message, tx) => warehouse.recordEffect(tx, message, group),
              });
            }
          },
        });
        const producer = await shop.instance();

        for (let n = 0; n < 10; n++) await publishItem(producer, shop, n, `key-${n % 3}`);

        const effects = await eventually(
          () => warehouse.effects(),
          (rows) => rows.length === 20,
        );
        for (const group of [warehouse.name, `${warehouse.name}-audit`]) {
          expect(
            effects
              .filter((effect) => effect.instance === group)
              .map((effect) => effect.n)
              .sort((a, b) => a - b),
          ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        }
      });

      it('answers a command with a reply on the requester’s reply topic, correlated to the request', async () => {
        const stock = await harness.service();
        const orders = await harness.service();
        const { ReserveItem, ItemReserved, ItemAdded } = stock.contract;
        const handled: IncomingMessage[] = [];
        await stock.instance({
          subscribe: (messaging) =>
            messaging.subscribe({
              messages: [ReserveItem],
              handler: async (message, tx) => {
                handled.push(message);
                await messaging.reply(tx, message, ItemReserved, {
                  n: message.data.n,
                  reservation: `r-${message.data.n}`,
                });
                // Messages published while handling inherit the conversation.
                await messaging.publish(tx, ItemAdded, { n: message.data.n }, { key: message.subject });
              },
            }),
        });
        const replies: IncomingMessage[] = [];
        const events: IncomingMessage[] = [];
        const requester = await orders.instance({
          subscribe: (messaging) => {
            messaging.subscribe({
              messages: [ItemReserved],
              handler: async (message) => {
                replies.push(message);
              },
            });
            messaging.subscribe({
              messages: [ItemAdded],
              handler: async (message) => {
                events.push(message);
              },
            });
          },
        });

        const commandId = await requester.messaging.transaction((tx) =>
          requester.messaging.send(tx, ReserveItem, { n: 5 }, { key: 'order-1' }),
        );

        await eventually(
          () => replies.length + events.length,
          (count) => count === 2,
        );
        expect(handled[0]).toMatchObject({
          id: commandId,
          replyTo: `${orders.name}.replies`,
          topic: `${stock.name}.commands`,
        });
        expect(replies[0]).toMatchObject({
          type: ItemReserved.type,
          data: { n: 5, reservation: 'r-5' },
          correlationId: commandId,
          causationId: commandId,
          subject: 'order-1',
          topic: `${orders.name}.replies`,
          source: `/talad/${stock.name}`,
        });
        expect(events[0]).toMatchObject({ causationId: commandId, correlationId: commandId });
      });

      it('finishes the handler in flight on stop, and a new instance does not handle it again', async () => {
        const shop = await harness.service();
        const warehouse = await harness.service();
        const release = gate();
        let entered = false;
        const first = await addRecordingInstance(warehouse, shop, {
          before: async () => {
            entered = true;
            await release.promise;
          },
        });
        const producer = await shop.instance();
        await publishItem(producer, shop, 1, 'in-flight');
        await eventually(() => entered, Boolean, { what: 'the handler to start' });

        let stopped = false;
        const stopping = first.stop().then(() => {
          stopped = true;
        });
        await delay(200);
        expect(stopped).toBe(false);
        release.open();
        await stopping;
        expect((await warehouse.effects()).map((effect) => effect.n)).toEqual([1]);

        await addRecordingInstance(warehouse, shop);
        await publishItem(producer, shop, 2, 'in-flight');
        await eventually(
          () => warehouse.effects(),
          (rows) => rows.some((row) => row.n === 2),
        );
        await delay(300);
        expect((await warehouse.effects()).map((effect) => effect.n)).toEqual([1, 2]);
      });

      it('reports outbox depth and relay lag, and counts published and consumed messages', async () => {
        const shop = await harness.service();
        const { instance: consumer } = await recordingConsumer(shop);
        const producer = await shop.instance({ start: false });
        await publishItem(producer, shop, 1, 'a');
        await publishItem(producer, shop, 2, 'b');
        await delay(20);

        expect(await producer.metric('messaging_outbox_depth')).toBe(2);
        expect(await producer.metric('messaging_relay_lag_seconds')).toBeGreaterThan(0);

        await producer.messaging.start();
        await eventually(
          () => consumer.metric('messaging_consumed_total', { outcome: 'handled', type: shop.contract.ItemAdded.type }),
          (handled) => handled === 2,
        );
        await publishedBy(producer, 2);
        await eventually(
          () => producer.metric('messaging_outbox_depth'),
          (depth) => depth === 0,
        );
        expect(await producer.metric('messaging_relay_lag_seconds')).toBe(0);
        expect(await producer.metric('messaging_relay_active')).toBe(1);
        const exposition = await consumer.registry.metrics();
        expect(exposition).toContain('messaging_handler_duration_seconds_bucket');
      });

      describe('tracing', () => {
        const exporter = new InMemorySpanExporter();
        const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

        beforeAll(() => {
          context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
          trace.setGlobalTracerProvider(provider);
        });
        afterAll(async () => {
          trace.disable();
          context.disable();
          await provider.shutdown();
        });

        it('continues the trace from the request through a producer span to a consumer span', async () => {
          const shop = await harness.service();
          const { service: warehouse } = await recordingConsumer(shop);
          const producer = await shop.instance();
          const topic = `${shop.name}.events`;

          await trace.getTracer('test').startActiveSpan('POST /items', { kind: SpanKind.SERVER }, async (span) => {
            await publishItem(producer, shop, 1, 'traced');
            span.end();
          });
          await eventually(
            () => warehouse.effects(),
            (rows) => rows.length === 1,
          );
          const spans = await eventually(
            () => exporter.getFinishedSpans(),
            (finished) => finished.some((span) => span.name === `${topic} process`),
          );
          const named = (name: string): ReadableSpan | undefined => spans.find((span) => span.name === name);
          const request = named('POST /items');
          const publish = named(`${topic} publish`);
          const process = named(`${topic} process`);
          expect(publish?.kind).toBe(SpanKind.PRODUCER);
          expect(process?.kind).toBe(SpanKind.CONSUMER);
          expect(publish?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
          expect(process?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
          expect(new Set([request, publish, process].map((span) => span?.spanContext().traceId)).size).toBe(1);
        });
      });
    },
  );

  /** Waits for the relay of `instance` to have counted `count` confirmed messages (never more). */
  async function publishedBy(instance: TestInstance, count: number): Promise<void> {
    const published = await eventually(
      () => instance.metric('messaging_published_total'),
      (value) => value >= count,
      { what: `${count} confirmed publications by ${instance.name}` },
    );
    expect(published).toBe(count);
  }

  async function outboxDepth(service: TestService): Promise<number> {
    const { rows } = await service.pool.query<{ depth: number }>('SELECT count(*)::int AS depth FROM outbox');
    return rows[0]?.depth ?? -1;
  }
}

/** An envelope as the service's producer would write it, with overrides for malformed variants. */
function envelopeOf(service: TestService, data: unknown, overrides: Partial<Envelope> = {}): Envelope {
  const id = newId();
  return {
    specversion: '1.0',
    id,
    source: `/talad/${service.name}`,
    type: service.contract.ItemAdded.type,
    time: new Date().toISOString(),
    subject: 'subject',
    datacontenttype: 'application/json',
    data,
    correlationid: id,
    ...overrides,
  };
}

/** `count` keys that land in `count` different partitions (count <= partitions). */
function keysInDistinctPartitions(count: number, partitions: number): string[] {
  const byPartition = new Map<number, string>();
  for (let index = 0; byPartition.size < Math.min(count, partitions); index++) {
    const key = `key-${index}`;
    const partition = partitionOf(key, partitions);
    if (!byPartition.has(partition)) byPartition.set(partition, key);
  }
  return [...byPartition.values()];
}
