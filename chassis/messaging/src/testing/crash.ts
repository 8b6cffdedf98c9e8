import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createMessagingHarness,
  eventually,
  type Effect,
  type MessagingHarness,
  type TestService,
  type TransportFactory,
} from './harness.ts';
import { workerScript } from './worker-script.ts';

export interface CrashScenarioOptions {
  /** The broker the worker processes connect to (their `BROKER_URL`). */
  brokerUrl: string | undefined;
  /** The adapter's own options for the worker processes (their `BROKER_OPTIONS`), e.g. a name prefix. */
  brokerOptions?: Record<string, unknown>;
  /** Transports for the instances that run inside the test process, on the same broker. */
  makeTransport: TransportFactory;
  /** When set, the suite is registered but skipped, printing this reason. */
  skipReason?: string | undefined;
  /** Runs after the suite: deletes what it left on the broker. */
  cleanup?: () => Promise<void>;
}

/** A worker process (worker.ts) and the lines it printed. */
export interface Worker {
  readonly process: ChildProcess;
  /** Resolves with the rest of the first line starting with `marker`. */
  printed(marker: string): Promise<string>;
}

const TOTAL = 100;
const KEYS = 10;

/**
 * Real processes killed with SIGKILL at the points where a crash could lose or double a message, then
 * started again, on one transport: a consumer before and after its commit, a producer after its commit
 * and before its relay published, and after the relay published and before it deleted the batch. Each
 * time, every committed message has exactly one effect, and each key's effects are in publish order.
 *
 * @example
 * describeProcessCrashes('RabbitMQ', { brokerUrl, brokerOptions: { namePrefix }, makeTransport });
 */
export function describeProcessCrashes(transportName: string, options: CrashScenarioOptions): void {
  const suite = options.skipReason ? describe.skip : describe;
  suite(
    `processes killed mid-stream on ${transportName}${options.skipReason ? ` (skipped: ${options.skipReason})` : ''}`,
    () => {
      let harness: MessagingHarness;
      const workers: ChildProcess[] = [];

      beforeAll(() => {
        harness = createMessagingHarness(options.makeTransport);
      });
      afterEach(() => {
        for (const worker of workers.splice(0)) worker.kill('SIGKILL');
      });
      afterAll(async () => {
        await harness.close();
        await options.cleanup?.();
      });

      /** Starts worker.ts for a service; resolves once it printed `ready`. */
      async function startWorker(service: TestService, env: Record<string, string> = {}): Promise<Worker> {
        const child = spawn(process.execPath, [workerScript], {
          env: {
            ...process.env,
            DATABASE_URL: service.db.url,
            BROKER_URL: options.brokerUrl ?? '',
            BROKER_OPTIONS: JSON.stringify(options.brokerOptions ?? {}),
            SERVICE: service.name,
            ...env,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        workers.push(child);
        let errors = '';
        child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
        const lines: string[] = [];
        const waiting = new Set<() => void>();
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          for (const check of waiting) check();
        });
        const exited = once(child, 'exit').then(([code]) => {
          throw new Error(`worker exited with ${String(code)}: ${errors}`);
        });
        exited.catch(() => undefined);
        const worker: Worker = {
          process: child,
          printed: (marker) =>
            Promise.race([
              exited,
              new Promise<string>((resolve) => {
                const check = (): void => {
                  const line = lines.find((each) => each.startsWith(marker));
                  if (line === undefined) return;
                  waiting.delete(check);
                  resolve(line.slice(marker.length).trim());
                };
                waiting.add(check);
                check();
              }),
            ]),
        };
        await worker.printed('ready');
        return worker;
      }

      async function kill(worker: Worker): Promise<void> {
        if (worker.process.exitCode !== null || worker.process.signalCode !== null) return;
        const exited = once(worker.process, 'exit');
        worker.process.kill('SIGKILL');
        await exited;
      }

      /** A consumer service in this process, recording one effect per message. */
      async function recordingConsumer(producer: TestService): Promise<TestService> {
        const consumer = await harness.service();
        await consumer.instance({
          subscribe: (messaging, instance) =>
            messaging.subscribe({
              messages: [producer.contract.ItemAdded],
              handler: async (message, tx) => consumer.recordEffect(tx, message, instance),
            }),
        });
        return consumer;
      }

      /** TOTAL events, n = 0.., keys key-0..key-9, each in its own transaction, from a producer in this process. */
      async function publishFromTestProcess(producer: TestService): Promise<void> {
        const instance = await producer.instance();
        for (let n = 0; n < TOTAL; n++) {
          await instance.messaging.transaction((tx) =>
            instance.messaging.publish(tx, producer.contract.ItemAdded, { n }, { key: `key-${n % KEYS}` }),
          );
        }
      }

      async function outboxDepth(service: TestService): Promise<number> {
        const { rows } = await service.pool.query<{ depth: number }>('SELECT count(*)::int AS depth FROM outbox');
        return rows[0]?.depth ?? -1;
      }

      /** Every one of the TOTAL events has exactly one effect, and each key's effects are in publish order. */
      async function expectEveryEffectOnceInOrder(consumer: TestService): Promise<Effect[]> {
        const effects = await eventually(
          () => consumer.effects(),
          (rows) => new Set(rows.map((row) => row.n)).size === TOTAL,
          { what: 'an effect of every message', timeoutMs: 40_000 },
        );
        // Quiet for a moment, so a late duplicate would show.
        await new Promise((resolve) => setTimeout(resolve, 500));
        const settled = await consumer.effects();
        expect(settled).toHaveLength(TOTAL);
        expect(new Set(settled.map((effect) => effect.messageId)).size).toBe(TOTAL);
        for (let key = 0; key < KEYS; key++) {
          const ns = settled.filter((effect) => effect.key === `key-${key}`).map((effect) => effect.n);
          expect(ns).toEqual(Array.from({ length: TOTAL / KEYS }, (_, index) => index * KEYS + key));
        }
        return effects;
      }

      /**
       * A consumer worker that stops dead at `crashAt` while a producer in this process publishes, killed
       * there; resolves with what it printed and the effects committed before the kill. The test then
       * starts another.
       */
      async function killConsumerAt(
        crashAt: string,
      ): Promise<{ producer: TestService; consumer: TestService; detail: string; before: Effect[] }> {
        const producer = await harness.service();
        const consumer = await harness.service();
        const worker = await startWorker(consumer, {
          SUBSCRIBE_TO: producer.name,
          HANDLER_DELAY_MS: '5',
          CRASH_AT: crashAt,
        });
        await publishFromTestProcess(producer);
        const detail = await worker.printed(`crash-point ${crashAt.split(':')[0] ?? ''}`);
        await kill(worker);
        return { producer, consumer, detail, before: await consumer.effects() };
      }

      /**
       * A producer worker that commits every event and stops its relay dead at `crashAt`, killed once both
       * happened; a consumer in this process records effects.
       */
      async function killProducerAt(
        crashAt: string,
      ): Promise<{ producer: TestService; consumer: TestService; detail: string }> {
        const producer = await harness.service();
        const consumer = await recordingConsumer(producer);
        const worker = await startWorker(producer, { PUBLISH_COUNT: String(TOTAL), CRASH_AT: crashAt });
        const detail = await worker.printed(`crash-point ${crashAt.split(':')[0] ?? ''}`);
        await worker.printed('published');
        await kill(worker);
        return { producer, consumer, detail };
      }

      /** Starts the killed producer again: its relay publishes what is left, and drains the outbox. */
      async function restartProducer(producer: TestService, consumer: TestService): Promise<void> {
        await startWorker(producer);
        await expectEveryEffectOnceInOrder(consumer);
        await eventually(
          () => outboxDepth(producer),
          (depth) => depth === 0,
          { what: 'the restarted relay to drain the outbox' },
        );
      }

      it('a consumer killed with a message handled but not committed handles it once after a restart', async () => {
        const { producer, consumer, detail, before } = await killConsumerAt('before-commit:40');
        expect(before.length).toBeLessThan(TOTAL);
        // Its effect was written in the transaction the kill rolled back.
        expect(before.some((effect) => effect.messageId === detail)).toBe(false);
        await startWorker(consumer, { SUBSCRIBE_TO: producer.name });
        const effects = await expectEveryEffectOnceInOrder(consumer);
        expect(new Set(effects.map((effect) => effect.instance)).size).toBe(2);
      });

      it('a consumer killed after its commit, before acknowledging, drops the redelivery (inbox)', async () => {
        const { producer, consumer, detail, before } = await killConsumerAt('after-commit:40');
        // Committed, yet never acknowledged: the broker delivers it again, and the inbox drops it.
        expect(before.filter((effect) => effect.messageId === detail)).toHaveLength(1);
        await startWorker(consumer, { SUBSCRIBE_TO: producer.name });
        await expectEveryEffectOnceInOrder(consumer);
      });

      it('a producer killed after committing, before its relay published, publishes everything after a restart', async () => {
        const { producer, consumer } = await killProducerAt('before-publish');
        expect(await outboxDepth(producer)).toBe(TOTAL);
        expect(await consumer.effects()).toEqual([]);
        await restartProducer(producer, consumer);
      });

      it('a relay killed after the broker confirmed a batch, before deleting it, publishes it again: one effect each', async () => {
        const { producer, consumer, detail } = await killProducerAt('after-publish:3');
        const confirmed = detail.split(',');
        // The confirmed batch is still in the outbox, and reached the consumer.
        const { rows } = await producer.pool.query<{ id: string }>('SELECT id FROM outbox');
        const left = new Set(rows.map((row) => row.id));
        expect(confirmed.every((id) => left.has(id))).toBe(true);
        await eventually(
          () => consumer.effects(),
          (effects) => confirmed.every((id) => effects.some((effect) => effect.messageId === id)),
          { what: 'the confirmed batch to be handled' },
        );
        await restartProducer(producer, consumer);
      });
    },
  );
}
