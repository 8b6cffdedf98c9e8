/**
 * One instance of a test service as a real process, configured by environment variables, for
 * scenarios that kill processes (SIGKILL mid-handler, mid-relay) and start them again:
 *
 *   DATABASE_URL   the service's database, prepared by the harness (messaging tables, test_effects, test_items)
 *   BROKER_URL     postgres://, amqp:// or nats://
 *   BROKER_OPTIONS optional: JSON of the adapter's own options (e.g. {"namePrefix":"t-1","ackWaitMs":2000})
 *   SERVICE        the service's name (its CloudEvents source and consumer group)
 *   SUBSCRIBE_TO   optional: a producer service whose ItemAdded events to handle (one effect each)
 *   HANDLER_DELAY_MS  optional: time each handler spends inside its transaction
 *   PUBLISH_COUNT  optional: ItemAdded events to publish, one transaction each (with a test_items row, the
 *                  business change), n = 0, 1, ... with keys key-0..key-9
 *   CRASH_AT       optional: where to stop dead, print `crash-point <detail>` and wait to be killed:
 *                    before-commit:<n>  in the handler of the message with data.n = n, its effect written
 *                                       but not committed
 *                    after-commit:<k>   once the k-th message's transaction committed, before the
 *                                       transport acknowledges it
 *                    before-publish     in the relay's first publish, before anything reaches the broker
 *                    after-publish:<k>  once the broker confirmed the relay's k-th batch, before the relay
 *                                       deletes it from the outbox
 *
 * Prints `ready` once consuming, `published` once every event is committed. SIGTERM stops it gracefully;
 * SIGKILL is the point.
 *
 * @example
 * spawn(process.execPath, [workerScript], { env: { ...process.env, DATABASE_URL, BROKER_URL, SERVICE: 'shop' } });
 */
import { z } from 'zod';
import { createPool } from '@talad/pg';
import { createLogger } from '@talad/service';
import { createTransport } from '../create-transport.ts';
import { createMessaging } from '../messaging.ts';
import type { Transport } from '../transport.ts';
import { testContract } from './harness.ts';

const CrashPointSchema = z.union([
  z.templateLiteral(['before-commit:', z.number().int()]),
  z.templateLiteral(['after-commit:', z.number().int()]),
  z.literal('before-publish'),
  z.templateLiteral(['after-publish:', z.number().int()]),
]);

const env = z
  .object({
    DATABASE_URL: z.string().min(1),
    BROKER_URL: z.string().min(1),
    BROKER_OPTIONS: z
      .string()
      .default('{}')
      .transform((text) => z.record(z.string(), z.unknown()).parse(JSON.parse(text))),
    SERVICE: z.string().min(1),
    SUBSCRIBE_TO: z.string().min(1).optional(),
    HANDLER_DELAY_MS: z.coerce.number().int().nonnegative().default(0),
    PUBLISH_COUNT: z.coerce.number().int().nonnegative().default(0),
    CRASH_AT: CrashPointSchema.optional(),
    LOG_LEVEL: z.string().default('warn'),
  })
  .parse(process.env);

const [crashPoint, crashArgument] = (env.CRASH_AT ?? '').split(':');
const crashNumber = Number(crashArgument);

/** Says where it stopped and never goes on: the test kills the process here. */
function crash(detail: string): Promise<never> {
  process.stdout.write(`crash-point ${detail}\n`);
  return new Promise<never>(() => undefined);
}

/** The transport, stopping dead at the configured point of publishing or acknowledging. */
function withCrashPoint(transport: Transport): Transport {
  let publishes = 0;
  let committed = 0;
  return {
    kind: transport.kind,
    partitions: transport.partitions,
    async publish(messages) {
      publishes += 1;
      if (crashPoint === 'before-publish') return crash(`before-publish ${messages.length}`);
      await transport.publish(messages);
      if (crashPoint === 'after-publish' && publishes === crashNumber) {
        return crash(`after-publish ${messages.map((message) => message.id).join(',')}`);
      }
    },
    consume: (options) =>
      transport.consume({
        ...options,
        handle: async (delivery) => {
          await options.handle(delivery);
          committed += 1;
          if (crashPoint === 'after-commit' && committed === crashNumber) {
            await crash(`after-commit ${delivery.message.id}`);
          }
        },
      }),
    ping: () => transport.ping(),
    close: () => transport.close(),
  };
}

const logger = createLogger({ service: env.SERVICE, level: env.LOG_LEVEL });
const pool = createPool({ connectionString: env.DATABASE_URL, applicationName: `${env.SERVICE}-worker`, max: 12 });
const transport = await createTransport(env.BROKER_URL, { logger, ...env.BROKER_OPTIONS });
const messaging = createMessaging({ service: env.SERVICE, pool, transport: withCrashPoint(transport), logger });

if (env.SUBSCRIBE_TO) {
  messaging.subscribe({
    messages: [testContract(env.SUBSCRIBE_TO).ItemAdded],
    handler: async (message, tx) => {
      await tx.query('INSERT INTO test_effects (message_id, type, key, n, instance) VALUES ($1, $2, $3, $4, $5)', [
        message.id,
        message.type,
        message.subject,
        message.data.n,
        `pid-${process.pid}`,
      ]);
      if (crashPoint === 'before-commit' && message.data.n === crashNumber) await crash(`before-commit ${message.id}`);
      if (env.HANDLER_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, env.HANDLER_DELAY_MS));
    },
  });
}
await messaging.start();
process.stdout.write('ready\n');

const { ItemAdded } = testContract(env.SERVICE);
for (let n = 0; n < env.PUBLISH_COUNT; n++) {
  const key = `key-${n % 10}`;
  await messaging.transaction(async (tx) => {
    const id = await messaging.publish(tx, ItemAdded, { n }, { key });
    await tx.query('INSERT INTO test_items (n, key, message_id) VALUES ($1, $2, $3)', [n, key, id]);
  });
}
if (env.PUBLISH_COUNT > 0) process.stdout.write('published\n');

process.once('SIGTERM', () => {
  void (async () => {
    await messaging.stop();
    await transport.close();
    await pool.end();
    process.exit(0);
  })();
});
