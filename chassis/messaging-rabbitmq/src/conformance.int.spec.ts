import { afterAll, expect } from 'vitest';
import { brokerFromEnvironment, describeMessagingConformance } from '@talad/messaging/testing';
import type { TcpProxy } from '@talad/testing';
import { createRabbitMqTransport } from './rabbitmq-transport.ts';
import {
  deleteTopology,
  deleteUsedTopology,
  newTopologyUse,
  proxyTo,
  trackTopology,
  uniqueName,
} from './test-broker.ts';
import { topologyNames } from './topology.ts';

/**
 * Every end-to-end messaging scenario on RabbitMQ, when `RABBITMQ_URL` names a broker. Transports reach
 * it through a TCP proxy, so the outage scenario can cut them all off and bring them back.
 */
const broker = brokerFromEnvironment('RABBITMQ_URL', 'RabbitMQ');
const prefix = uniqueName('conformance');
const names = topologyNames(prefix);
const partitions = 8;
const used = newTopologyUse();
let proxied: Promise<{ proxy: TcpProxy; url: string }> | undefined;
const throughProxy = (): Promise<{ proxy: TcpProxy; url: string }> => (proxied ??= proxyTo(broker.url ?? ''));

afterAll(async () => {
  if (!broker.url) return;
  await (await proxied)?.proxy.close();
  // Each scenario deleted what it declared; nothing else of this run may be left on the broker.
  const left = await deleteTopology(prefix);
  expect(left.queues).toEqual([]);
});

describeMessagingConformance(
  'RabbitMQ',
  async () =>
    trackTopology(
      createRabbitMqTransport({
        url: (await throughProxy()).url,
        namePrefix: prefix,
        partitions,
        retryDelayMs: 50,
        rebalanceIntervalMs: 300,
      }),
      used,
    ),
  {
    skipReason: broker.skipReason,
    outage: async () => {
      const { proxy } = await throughProxy();
      proxy.cut();
      return async () => proxy.restore();
    },
    cleanup: () => deleteUsedTopology(names, partitions, used),
  },
);
