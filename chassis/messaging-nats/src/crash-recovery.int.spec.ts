import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { Delivery } from '@talad/messaging';
import { createNatsTransport } from './nats-transport.ts';
import { deleteStreams, natsUrl, testMessage, uniqueName, waitFor } from './testing/support.ts';

const prefix = uniqueName('crash');
const fixture = fileURLToPath(new URL('./testing/crash-consumer.ts', import.meta.url));
const ackWaitMs = 2_000;
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  expect(await deleteStreams(prefix)).toHaveLength(1);
});

/** Starts the fixture process; resolves with it and its JSON lines once it has joined the group. */
async function startCrashingInstance(): Promise<{ child: ChildProcess; lines: Array<Record<string, unknown>> }> {
  const child = spawn(process.execPath, [fixture], {
    env: {
      PATH: process.env['PATH'] ?? '',
      NATS_URL: natsUrl,
      NAME_PREFIX: prefix,
      ACK_WAIT_MS: String(ackWaitMs),
      GROUP: 'crashers',
      TOPIC: 'crash.events',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: Array<Record<string, unknown>> = [];
  createInterface({ input: child.stdout }).on('line', (line) =>
    lines.push(JSON.parse(line) as Record<string, unknown>),
  );
  await waitFor('the instance to join', () => lines.some((line) => line['ready'] === true), 30_000);
  return { child, lines };
}

it('redelivers the message of an instance killed mid-handler to another instance after ack_wait', async () => {
  const doomed = await startCrashingInstance();
  const survivor = createNatsTransport({ url: natsUrl, namePrefix: prefix, ackWaitMs, pullExpiresMs: 1_000 });
  try {
    await survivor.publish([testMessage('crash.events', 'order-1', 1)]);
    await waitFor('the doomed instance to take the message', () => doomed.lines.some((line) => 'received' in line));

    const deliveries: Array<{ delivery: Delivery; at: number }> = [];
    await survivor.consume({
      group: 'crashers',
      topics: ['crash.events'],
      concurrency: 1,
      handle: async (delivery) => void deliveries.push({ delivery, at: Date.now() }),
    });
    // Alive, the doomed instance keeps the message with in-progress signals, past ack_wait.
    await new Promise((resolve) => setTimeout(resolve, ackWaitMs * 1.5));
    expect(deliveries).toHaveLength(0);

    const exited = new Promise((resolve) => doomed.child.once('exit', resolve));
    doomed.child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    await waitFor('the redelivery', () => deliveries.length === 1, ackWaitMs * 5);
    const [redelivered] = deliveries;
    expect(redelivered?.delivery.message.id).toBe('order-1-1');
    expect(redelivered?.delivery.deliveryAttempt).toBe(2);
    expect((redelivered?.at ?? 0) - killedAt).toBeLessThan(ackWaitMs * 2.5);
    expect(doomed.lines.filter((line) => 'received' in line)).toEqual([{ received: 'order-1-1', attempt: 1 }]);
  } finally {
    await survivor.close();
  }
});
