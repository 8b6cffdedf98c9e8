export { describeMessagingConformance, type ConformanceOptions } from './conformance.ts';
export {
  createMessagingHarness,
  testContract,
  eventually,
  waitFor,
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
export { observeTopic, type ObservedTopic, type ObservedMessage } from './observe-topic.ts';
export { workerScript } from './worker-script.ts';
export { brokerFromEnvironment, uniqueName } from './broker-env.ts';
export { describeProcessCrashes, type CrashScenarioOptions, type Worker } from './crash.ts';
