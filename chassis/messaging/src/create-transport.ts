import type { Logger } from '@talad/service';
import type { Transport } from './transport.ts';

/** Settings every adapter's factory accepts besides the URL. */
export interface TransportOptions {
  /** Partitions per topic; every instance must agree. Defaults to `DEFAULT_PARTITIONS`. */
  partitions?: number;
  logger?: Logger;
}

type TransportFactory = (options: TransportOptions & { url: string }) => Transport | Promise<Transport>;

interface Adapter {
  readonly protocols: readonly string[];
  readonly module: string;
  readonly factory: string;
}

// Adapters are imported only when their scheme is asked for, so a service carries only the broker
// client it uses, and the RabbitMQ and NATS packages are not dependencies of this one.
const ADAPTERS: readonly Adapter[] = [
  { protocols: ['postgres:', 'postgresql:'], module: '@talad/messaging-postgres', factory: 'createPostgresTransport' },
  { protocols: ['amqp:', 'amqps:'], module: '@talad/messaging-rabbitmq', factory: 'createRabbitMqTransport' },
  { protocols: ['nats:'], module: '@talad/messaging-nats', factory: 'createNatsTransport' },
];

/**
 * The transport for a broker URL, chosen by its scheme: `postgres://` (the message log in a
 * PostgreSQL database, the embedded default), `amqp://` or `amqps://` (RabbitMQ), `nats://`
 * (NATS JetStream).
 *
 * @example
 * const transport = await createTransport(config.BROKER_URL, { logger });
 * onShutdown(() => transport.close());
 */
export async function createTransport(brokerUrl: string, options: TransportOptions = {}): Promise<Transport> {
  let protocol: string;
  try {
    protocol = new URL(brokerUrl).protocol;
  } catch {
    throw new Error('the broker URL is not a URL (expected postgres://, amqp://, amqps:// or nats://)');
  }
  const adapter = ADAPTERS.find((candidate) => candidate.protocols.includes(protocol));
  if (!adapter) {
    throw new Error(
      `no messaging transport for ${protocol}// URLs (expected postgres://, amqp://, amqps:// or nats://)`,
    );
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(/* @vite-ignore */ adapter.module)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes(adapter.module)) {
      throw new Error(
        `${protocol}// brokers need the ${adapter.module} package, which is not installed; ` +
          `add it to the service: npm install -w <service> ${adapter.module}`,
        { cause: error },
      );
    }
    throw error;
  }
  const factory = module[adapter.factory];
  if (typeof factory !== 'function') throw new Error(`${adapter.module} does not export ${adapter.factory}()`);
  return (factory as TransportFactory)({ ...options, url: brokerUrl });
}
