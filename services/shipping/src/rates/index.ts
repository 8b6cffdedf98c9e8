export { readRates, replaceRates, checkRateTable } from './rate-table.ts';
export { quoteFor, feeFor } from './quote.ts';
export { announceRates, announceRatesOnce, RATES_KEY } from './announce-rates.ts';
export { registerRateRoutes, RateTableSchema } from './routes.ts';
export { registerRateAdminRoutes, ReplaceRatesSchema, SHIPPING_WRITERS } from './admin-routes.ts';
