export {
  subscribePaymentCommands,
  providerKey,
  PAYMENT_COMMAND_RETRY,
  type PaymentCommandOptions,
} from './payment-commands.ts';
export { registerPaymentRoutes, PAYMENT_READERS, type PaymentRouteOptions } from './routes.ts';
export {
  planFor,
  answerFor,
  declineReasonOf,
  type Plan,
  type Answer,
  type PaymentCommandKind,
} from './payment-decisions.ts';
export { PAYMENT_STATES, type Payment, type PaymentState, type DeclineReason } from './payment.ts';
