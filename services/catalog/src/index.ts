export { buildCatalogApp, type CatalogAppOptions } from './app.ts';
export { migrationsDirectory } from './migrations.ts';
export { CatalogErrorCode } from './error-codes.ts';
