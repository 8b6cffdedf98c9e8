export { buildBasketApp, type BasketAppOptions } from './app.ts';
export { createCatalogClient, type CatalogClient, type CatalogClientOptions } from './catalog/index.ts';
export { migrationsDirectory } from './migrations.ts';
export { BasketErrorCode } from './error-codes.ts';
