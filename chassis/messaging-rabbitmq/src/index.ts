export { createRabbitMqTransport, type RabbitMqTransportOptions } from './rabbitmq-transport.ts';
export {
  topologyNames,
  partitionQueueArguments,
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_NAME_PREFIX,
  type TopologyNames,
} from './topology.ts';
export { KEY_HEADER, TOPIC_HEADER } from './message-codec.ts';
export type { TransportLogger } from '@talad/messaging';
export { runRawBaseline, type RawBaselineOptions, type RawBaselineResult } from './raw-baseline.ts';
