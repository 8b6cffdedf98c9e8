export { buildShippingApp, DEFAULT_COURIER_NAME, type ShippingAppOptions } from './app.ts';
export { migrationsDirectory } from './migrations.ts';
export { ShippingErrorCode } from './error-codes.ts';
export { quoteFor, feeFor } from './rates/index.ts';
export { createCourierClient, type Courier, type CourierClientOptions } from './courier/courier-client.ts';
export { signUpdate, SIGNATURE_HEADER } from './courier/update-signature.ts';
