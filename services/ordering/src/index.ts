export { buildOrderingApp, type OrderingAppOptions, type CheckoutRuntime, type CheckoutWiring } from './app.ts';
export { migrationsDirectory, migrateOrdering, migrateOrderingChassis } from './migrations.ts';
export { OrderingErrorCode } from './error-codes.ts';
export {
  createOrderLifecycle,
  CUSTOMER_CANCELLATION_REASON,
  CHECKOUT_SAGA,
  type OrderLifecycle,
  type CheckoutOrchestrator,
  type CheckoutStartData,
  type OrderRejectionReason,
} from './orders/index.ts';
