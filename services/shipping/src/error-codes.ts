/** Codes the shipping service answers with. Append-only: a published code keeps its meaning and is never reused. */
export const ShippingErrorCode = {
  /** A new rate table names the same delivery option twice. */
  DuplicateOption: 'SHIPPING_DUPLICATE_OPTION',
  /** A rate promises delivery in at least more days than at most (`estimatedDays.min > max`). */
  InvalidDeliveryDays: 'SHIPPING_INVALID_DELIVERY_DAYS',
} as const;
