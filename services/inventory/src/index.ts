export { buildInventoryApp, type InventoryAppOptions } from './app.ts';
export { migrationsDirectory } from './migrations.ts';
export { InventoryErrorCode } from './error-codes.ts';
export { seededQuantity, statusOf } from './stock/stock-level.ts';
export { startStockBootstrap, type StockBootstrap, type StockBootstrapOptions } from './stock/stock-bootstrap.ts';
export { createExpirySweeper, type ExpirySweeper, type ExpirySweeperOptions } from './reservations/expiry-sweeper.ts';
export {
  decideReserve,
  decideRelease,
  decideCommit,
  decideExpiry,
  mergeLines,
  type Reservation,
  type ProductStock,
  type StockChange,
  type Decision,
} from './reservations/reservation-rules.ts';
