export { findProducts, upsertProducts, markProductDeleted } from './product-replica.ts';
export { currentShippingRates, replaceShippingRates, seedShippingRates } from './shipping-rate-replica.ts';
export { startReplicaBootstrap, type ReplicaBootstrap, type ReplicaBootstrapOptions } from './replica-bootstrap.ts';
export { subscribeReplicas } from './replica-consumers.ts';
