export { registerOrderRoutes, type OrderRouteParts } from './routes.ts';
export { registerSagaAdminRoutes } from './admin-routes.ts';
export {
  createOrderLifecycle,
  CUSTOMER_CANCELLATION_REASON,
  type OrderLifecycle,
  type OrderLifecycleOptions,
} from './order-lifecycle.ts';
export {
  CHECKOUT_SAGA,
  SAGA_STATES,
  type CheckoutOrchestrator,
  type CheckoutStartData,
  type SagaInstanceView,
  type SagaState,
  type SagaStepState,
} from './checkout-port.ts';
export { CANCELLATION_SAGA, type CancellationStartData } from './cancellation-port.ts';
export { loadOrder, executeOrderCommand, orderStreamId } from './order-store.ts';
export type { CancelledBy, Order, OrderRejectionReason } from './domain/index.ts';
