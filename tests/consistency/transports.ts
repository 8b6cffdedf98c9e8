import { brokerFromEnvironment, uniqueName } from '@talad/messaging/testing';
import { createNatsTransport } from '@talad/messaging-nats';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createRabbitMqTransport, topologyNames } from '@talad/messaging-rabbitmq';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { deleteStreams } from '../../chassis/messaging-nats/src/testing/support.ts';
import { deleteUsedTopology, newTopologyUse, trackTopology } from '../../chassis/messaging-rabbitmq/src/test-broker.ts';
import type { TransportSetup } from '../support/checkout-harness.ts';

/**
 * The three brokers a checkout system can run on, each set up for one test run: names no other run
 * uses, settings that make tests quick, and what to delete afterwards. RabbitMQ and NATS run when
 * `RABBITMQ_URL` / `NATS_URL` are set; otherwise `skipReason` says why not (and CI fails the skip).
 */
export interface BrokerChoice {
  readonly setup: () => TransportSetup;
  readonly skipReason: string | undefined;
}

export function postgresLog(): BrokerChoice {
  return {
    skipReason: undefined,
    setup: () => {
      let log: Promise<TestDatabase> | undefined;
      return {
        name: 'the PostgreSQL message log',
        async make() {
          log ??= createTestDatabase({ prefix: 'consistency_log' });
          return createPostgresTransport({ url: (await log).url, rebalanceIntervalMs: 500, pollIntervalMs: 200 });
        },
        async dispose() {
          await (await log)?.drop();
        },
      };
    },
  };
}

const PARTITIONS = 8;

export function rabbitMq(): BrokerChoice {
  const broker = brokerFromEnvironment('RABBITMQ_URL', 'RabbitMQ');
  return {
    skipReason: broker.skipReason,
    setup: () => {
      const prefix = uniqueName('checkout');
      const used = newTopologyUse();
      return {
        name: 'RabbitMQ',
        make: async () =>
          trackTopology(
            createRabbitMqTransport({
              url: broker.url ?? '',
              namePrefix: prefix,
              partitions: PARTITIONS,
              retryDelayMs: 50,
              rebalanceIntervalMs: 300,
            }),
            used,
          ),
        dispose: () => deleteUsedTopology(topologyNames(prefix), PARTITIONS, used),
      };
    },
  };
}

export function natsJetStream(): BrokerChoice {
  const broker = brokerFromEnvironment('NATS_URL', 'NATS JetStream');
  return {
    skipReason: broker.skipReason,
    setup: () => {
      const prefix = uniqueName('checkout');
      return {
        name: 'NATS JetStream',
        make: async () =>
          createNatsTransport({
            url: broker.url ?? '',
            namePrefix: prefix,
            partitions: PARTITIONS,
            // Stopping a service waits for its idle partitions' open pull requests.
            pullExpiresMs: 1_000,
            ackWaitMs: 10_000,
          }),
        dispose: async () => {
          await deleteStreams(prefix, broker.url);
        },
      };
    },
  };
}
