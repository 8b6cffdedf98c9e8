import { describe, expect, it } from 'vitest';
import { runRawBaseline } from './raw-baseline.ts';
import { listNames, rabbitMqUrl } from './test-broker.ts';

describe('raw RabbitMQ baseline', () => {
  it.each(['classic', 'quorum'] as const)(
    'publishes and consumes through a %s queue and measures it',
    async (queueType) => {
      const result = await runRawBaseline({ url: rabbitMqUrl, messages: 2_000, queueType });

      expect(result).toMatchObject({ queueType, messages: 2_000 });
      expect(result.msgsPerSecond).toBeGreaterThan(0);
      expect(result.latencyMs.p50).toBeGreaterThan(0);
      expect(result.latencyMs.p99).toBeGreaterThanOrEqual(result.latencyMs.p50);
      // It deletes the queue it made.
      expect((await listNames('list_queues')).filter((name) => name.startsWith('talad-raw-baseline-'))).toEqual([]);
    },
  );
});
