export {
  runMessagingService,
  runTokenIssuingService,
  messagingServiceConfig,
  type MessagingServiceConfig,
  type RunMessagingServiceOptions,
  type RunTokenIssuingServiceOptions,
  type ServiceConnections,
} from './run-messaging-service.ts';
export { createMessagingApp, type MessagingApp, type MessagingAppOptions } from './create-messaging-app.ts';
