export { buildCounterServiceApp, type CounterServiceAppOptions } from './app.ts';
export { signDelivery, signedHeaders, WEBHOOK_HEADERS } from './signature.ts';
export { CounterServiceErrorCode } from './error-codes.ts';
export { CounterPaymentSchema, PayRequestSchema, type CounterPaymentView } from './schemas.ts';
