export { buildShippingApp, type ShippingAppOptions } from './app.ts';
export { migrationsDirectory } from './migrations.ts';
export { ShippingErrorCode } from './error-codes.ts';
export { quoteFor, feeFor } from './rates/index.ts';
