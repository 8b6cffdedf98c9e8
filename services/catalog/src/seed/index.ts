export { generateCatalog, DEFAULT_SEED, POCA_SHOE_NMD, type SeedProduct } from './generate.ts';
export { seedCatalog, type SeedOptions, type SeedResult } from './insert.ts';
export { CATEGORIES } from './catalog-data.ts';
