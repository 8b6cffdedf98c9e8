import { brokerFromEnvironment, describeProcessCrashes } from '@talad/messaging/testing';
import { createNatsTransport } from './nats-transport.ts';
import { deleteStreams, uniqueName } from './testing/support.ts';

/**
 * Real processes killed with SIGKILL mid-stream on NATS JetStream, when `NATS_URL` names a server. A killed
 * consumer's message comes back after the ack wait, shortened here.
 */
const broker = brokerFromEnvironment('NATS_URL', 'NATS JetStream');
const options = { namePrefix: uniqueName('crash'), ackWaitMs: 2_000, pullExpiresMs: 1_000 };

describeProcessCrashes('NATS JetStream', {
  brokerUrl: broker.url,
  brokerOptions: options,
  makeTransport: () => createNatsTransport({ url: broker.url ?? '', ...options }),
  skipReason: broker.skipReason,
  cleanup: async () => {
    await deleteStreams(options.namePrefix, broker.url);
  },
});
