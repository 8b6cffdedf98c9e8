export { subscribeOrderHistory } from './history-consumer.ts';
export { HISTORY_MESSAGES, historyEventOf, type HistoryEvent } from './history-event.ts';
export { projectOrder, canonicalOrder } from './order-projection.ts';
export { createProjectionLag, type ProjectionLag } from './projection-lag.ts';
export { rebuildOrderHistory, differingOrders, canonicalJson } from './rebuild.ts';
export { registerOrderHistoryRoutes } from './routes.ts';
export { allSummaries } from './history-store.ts';
