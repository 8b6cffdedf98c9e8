/** Codes the catalog answers with. Append-only: a published code keeps its meaning and is never reused. */
export const CatalogErrorCode = {
  ProductNotFound: 'CATALOG_PRODUCT_NOT_FOUND',
  /** Creating a product with a sku another product already has. */
  SkuTaken: 'CATALOG_SKU_TAKEN',
} as const;
