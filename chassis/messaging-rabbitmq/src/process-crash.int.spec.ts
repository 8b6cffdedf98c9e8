import { brokerFromEnvironment, describeProcessCrashes } from '@talad/messaging/testing';
import { createRabbitMqTransport } from './rabbitmq-transport.ts';
import { deleteTopology, uniqueName } from './test-broker.ts';

/** Real processes killed with SIGKILL mid-stream on RabbitMQ, when `RABBITMQ_URL` names a broker. */
const broker = brokerFromEnvironment('RABBITMQ_URL', 'RabbitMQ');
const options = { namePrefix: uniqueName('crash'), rebalanceIntervalMs: 300 };

describeProcessCrashes('RabbitMQ', {
  brokerUrl: broker.url,
  brokerOptions: options,
  makeTransport: () => createRabbitMqTransport({ url: broker.url ?? '', ...options }),
  skipReason: broker.skipReason,
  cleanup: async () => {
    await deleteTopology(options.namePrefix);
  },
});
