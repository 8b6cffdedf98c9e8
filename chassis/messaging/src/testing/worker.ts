/**
 * One instance of a test service as a real process, configured by environment variables, for
 * scenarios that kill processes (SIGKILL mid-handler, mid-relay) and start them again:
 *
 *   DATABASE_URL   the service's database, prepared by the harness (messaging tables, test_effects)
 *   BROKER_URL     postgres://, amqp:// or nats://
 *   SERVICE        the service's name (its CloudEvents source and consumer group)
 *   SUBSCRIBE_TO   optional: a producer service whose ItemAdded events to handle (one effect each)
 *   HANDLER_DELAY_MS  optional: time each handler spends inside its transaction
 *   PUBLISH_COUNT  optional: ItemAdded events to publish, one transaction each, keys key-0..key-9
 *
 * Prints `ready` once consuming, `published` once every event is in the outbox. SIGTERM stops it
 * gracefully; SIGKILL is the point.
 *
 * @example
 * spawn(process.execPath, [workerScript], { env: { ...process.env, DATABASE_URL, BROKER_URL, SERVICE: 'shop' } });
 */
import { z } from 'zod';
import { createPool } from '@talad/pg';
import { createLogger } from '@talad/service';
import { createTransport } from '../create-transport.ts';
import { createMessaging } from '../messaging.ts';
import { testContract } from './harness.ts';

const env = z
  .object({
    DATABASE_URL: z.string().min(1),
    BROKER_URL: z.string().min(1),
    SERVICE: z.string().min(1),
    SUBSCRIBE_TO: z.string().min(1).optional(),
    HANDLER_DELAY_MS: z.coerce.number().int().nonnegative().default(0),
    PUBLISH_COUNT: z.coerce.number().int().nonnegative().default(0),
    LOG_LEVEL: z.string().default('warn'),
  })
  .parse(process.env);

const logger = createLogger({ service: env.SERVICE, level: env.LOG_LEVEL });
const pool = createPool({ connectionString: env.DATABASE_URL, applicationName: `${env.SERVICE}-worker`, max: 12 });
const transport = await createTransport(env.BROKER_URL, { logger });
const messaging = createMessaging({ service: env.SERVICE, pool, transport, logger });

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
      if (env.HANDLER_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, env.HANDLER_DELAY_MS));
    },
  });
}
await messaging.start();
process.stdout.write('ready\n');

const { ItemAdded } = testContract(env.SERVICE);
for (let n = 0; n < env.PUBLISH_COUNT; n++) {
  await messaging.transaction((tx) => messaging.publish(tx, ItemAdded, { n }, { key: `key-${n % 10}` }));
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
