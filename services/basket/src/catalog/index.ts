export { createCatalogClient, type CatalogClient, type CatalogClientOptions } from './catalog-client.ts';
