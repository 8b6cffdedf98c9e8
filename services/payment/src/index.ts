export { buildPaymentApp, type PaymentAppOptions } from './app.ts';
export { migrationsDirectory } from './migrations.ts';
export { PaymentErrorCode } from './error-codes.ts';
export { createProviderClient, ProviderUnavailableError, type CardProvider } from './provider/index.ts';
export { PAYMENT_STATES, PAYMENT_READERS, providerKey, type Payment, type PaymentState } from './payments/index.ts';
