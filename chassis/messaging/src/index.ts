export {
  DEFAULT_PARTITIONS,
  partitionOf,
  type Transport,
  type TransportKind,
  type TransportMessage,
  type Delivery,
  type ConsumeOptions,
  type Consumer,
} from './transport.ts';
export { createTransport, type TransportOptions } from './create-transport.ts';
export { silentTransportLogger, type TransportLogger } from './transport-logger.ts';
export {
  defineMessage,
  parseMessageType,
  topicOf,
  topics,
  type MessageDefinition,
  type AnyMessageDefinition,
  type MessageKind,
  type MessageType,
  type MessageInput,
  type MessageData,
} from './message-definition.ts';
export { EnvelopeSchema, decodeEnvelope, encodeEnvelope, type Envelope, type DecodeResult } from './envelope.ts';
export type { IncomingMessage, ReceivedMessage } from './received-message.ts';
export {
  MessageSchemaError,
  type PublishOptions,
  type SendOptions,
  type ReplyOptions,
  type ReplyTarget,
} from './producer.ts';
export { createMessaging, type Messaging, type MessagingOptions } from './messaging.ts';
export type { Subscription } from './consumer-group.ts';
export { DEFAULT_RETRY_POLICY, backoffDelay, isInfrastructureError, type RetryPolicy } from './retry.ts';
export { DEFAULT_RELAY_SETTINGS, type Relay, type RelayState, type RelaySettings } from './relay.ts';
export {
  DEAD_LETTER_FAILURES,
  type DeadLetterStore,
  type DeadLetter,
  type DeadLetterSummary,
  type DeadLetterFailure,
  type DeadLetterFilter,
  type ReplayOutcome,
} from './dead-letters.ts';
export { registerMessagingAdmin, DeadLetterSchema, DeadLetterSummarySchema } from './admin-routes.ts';
export { MessagingErrorCode } from './error-codes.ts';
export { messagingMigrationsDirectory, migrateMessaging } from './migrations.ts';
export { Signal, sleep } from './signal.ts';
export { createSemaphore, type Semaphore, type Release } from './semaphore.ts';
export { percentile } from './percentile.ts';
export {
  baselineMessages,
  baselineResult,
  sinceStamped,
  stampedPayload,
  type RawBaselineOptions,
  type RawBaselineResult,
} from './raw-baseline.ts';
export { sqlLiteral } from './transaction.ts';
