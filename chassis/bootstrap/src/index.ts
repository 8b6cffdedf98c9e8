export {
  runMessagingService,
  messagingServiceConfig,
  type MessagingServiceConfig,
  type RunMessagingServiceOptions,
  type ServiceConnections,
} from './run-messaging-service.ts';
export { createMessagingApp, type MessagingApp, type MessagingAppOptions } from './create-messaging-app.ts';
