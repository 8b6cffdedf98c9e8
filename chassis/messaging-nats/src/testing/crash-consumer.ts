/**
 * Run as a real process by crash-recovery.int.spec.ts: joins a group, reports each delivery on stdout as a
 * JSON line and never finishes a handler, until the test kills it.
 */
import { createNatsTransport } from '../nats-transport.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const transport = createNatsTransport({
  url: required('NATS_URL'),
  namePrefix: required('NAME_PREFIX'),
  ackWaitMs: Number(required('ACK_WAIT_MS')),
});
await transport.consume({
  group: required('GROUP'),
  topics: [required('TOPIC')],
  concurrency: 8,
  handle: (delivery) => {
    process.stdout.write(`${JSON.stringify({ received: delivery.message.id, attempt: delivery.deliveryAttempt })}\n`);
    return new Promise<void>(() => undefined);
  },
});
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
