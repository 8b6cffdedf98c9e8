export { buildOrderHistoryApp, type OrderHistoryAppOptions } from './app.ts';
export { migrationsDirectory } from './migrations.ts';
export { OrderHistoryErrorCode } from './error-codes.ts';
export { projectOrder, rebuildOrderHistory } from './history/index.ts';
