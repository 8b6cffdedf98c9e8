export { describeMessagingConformance, type ConformanceOptions } from './conformance.ts';
export {
  createMessagingHarness,
  testContract,
  eventually,
  delay,
  gate,
  type TransportFactory,
  type MessagingHarness,
  type TestService,
  type TestInstance,
  type TestContract,
  type InstanceOptions,
  type Effect,
} from './harness.ts';
export { workerScript } from './worker-script.ts';
