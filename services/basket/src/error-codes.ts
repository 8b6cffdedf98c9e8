/** Codes the basket answers with. Append-only: a published code keeps its meaning and is never reused. */
export const BasketErrorCode = {
  /** The product to put in the basket does not exist in the catalog. */
  UnknownProduct: 'BASKET_UNKNOWN_PRODUCT',
  /** The size is not one the product comes in, or the product comes in sizes and none was chosen. */
  InvalidSize: 'BASKET_INVALID_SIZE',
  /** The basket already holds `MAX_BASKET_LINES` different products. */
  TooManyLines: 'BASKET_TOO_MANY_LINES',
  /** The catalog did not answer in time, or answered with an error: try again later. */
  CatalogUnavailable: 'BASKET_CATALOG_UNAVAILABLE',
} as const;
