import { afterAll, expect, it } from 'vitest';
import { runRawBaseline } from './raw-baseline.ts';
import { deleteStreams, natsUrl, uniqueName } from './testing/support.ts';

const prefix = uniqueName('raw');

afterAll(async () => {
  // The baseline deletes its own stream; nothing may be left behind.
  expect(await deleteStreams(prefix)).toEqual([]);
});

it('publishes and consumes every message through plain JetStream and reports rate and latency', async () => {
  const result = await runRawBaseline({ url: natsUrl, messages: 2_000, namePrefix: prefix });
  expect(result.messages).toBe(2_000);
  expect(result.msgsPerSecond).toBeGreaterThan(0);
  expect(result.latencyMs.p50).toBeGreaterThan(0);
  expect(result.latencyMs.p99).toBeGreaterThanOrEqual(result.latencyMs.p50);
});
