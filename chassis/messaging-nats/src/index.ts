export { createNatsTransport } from './nats-transport.ts';
export { defaultRedeliveryDelayMs, type NatsTransportOptions } from './options.ts';
export type { TransportLogger } from '@talad/messaging';
export { runRawBaseline, type RawBaselineOptions, type RawBaselineResult } from './raw-baseline.ts';
