/** Codes inventory answers with. Append-only: a published code keeps its meaning and is never reused. */
export const InventoryErrorCode = {
  /** Inventory keeps no stock for this product id (catalog never announced it). */
  ProductNotFound: 'INVENTORY_PRODUCT_NOT_FOUND',
  /** Setting on-hand stock below the units reserved for orders; release or commit them first. */
  BelowReserved: 'INVENTORY_BELOW_RESERVED',
} as const;
