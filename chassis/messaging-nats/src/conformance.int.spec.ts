import { afterAll, expect } from 'vitest';
import { brokerFromEnvironment, describeMessagingConformance } from '@talad/messaging/testing';
import { startTcpProxy, type TcpProxy } from '@talad/testing';
import { createNatsTransport } from './nats-transport.ts';
import { deleteStreams, uniqueName } from './testing/support.ts';

/**
 * Every end-to-end messaging scenario on NATS JetStream, when `NATS_URL` names a server. Transports reach
 * it through a TCP proxy, so the outage scenario can cut them all off and bring them back.
 */
const broker = brokerFromEnvironment('NATS_URL', 'NATS JetStream');
const prefix = uniqueName('conformance');
let proxy: Promise<TcpProxy> | undefined;
const throughProxy = (): Promise<TcpProxy> => {
  const server = new URL(broker.url ?? 'nats://127.0.0.1:4222');
  return (proxy ??= startTcpProxy({ targetHost: server.hostname, targetPort: Number(server.port || 4222) }));
};

afterAll(async () => {
  if (!broker.url) return;
  await (await proxy)?.close();
  // Each scenario deleted its streams; nothing of this run may be left on the server.
  expect(await deleteStreams(prefix, broker.url)).toEqual([]);
});

describeMessagingConformance(
  'NATS JetStream',
  async () => {
    const { host, port } = await throughProxy();
    // Short pull requests and ack wait: stopping waits for an idle partition's open request, and a
    // message whose connection was cut comes back after the ack wait.
    return createNatsTransport({
      url: `nats://${host}:${port}`,
      namePrefix: prefix,
      pullExpiresMs: 1_000,
      ackWaitMs: 2_000,
    });
  },
  {
    skipReason: broker.skipReason,
    outage: async () => {
      const cutter = await throughProxy();
      cutter.cut();
      return async () => cutter.restore();
    },
    cleanup: async () => {
      await deleteStreams(prefix, broker.url);
    },
  },
);
