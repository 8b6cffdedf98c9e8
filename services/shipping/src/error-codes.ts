/** Codes the shipping service answers with. Append-only: a published code keeps its meaning and is never reused. */
export const ShippingErrorCode = {
  /** A new rate table names the same delivery option twice. */
  DuplicateOption: 'SHIPPING_DUPLICATE_OPTION',
  /** A rate promises delivery in at least more days than at most (`estimatedDays.min > max`). */
  InvalidDeliveryDays: 'SHIPPING_INVALID_DELIVERY_DAYS',
  /** No shipment the caller may see: none for this order or tracking number (yet), or another customer's. */
  ShipmentNotFound: 'SHIPPING_SHIPMENT_NOT_FOUND',
  /** A courier update without a valid signature (missing, malformed, or not made with the shared secret). */
  CourierSignatureInvalid: 'SHIPPING_COURIER_SIGNATURE_INVALID',
  /** A courier update signed too long ago (or in the future): refused, as a replay may be. */
  CourierSignatureStale: 'SHIPPING_COURIER_SIGNATURE_STALE',
  /** A courier update whose signature was accepted before: the same request sent again. */
  CourierUpdateReplayed: 'SHIPPING_COURIER_UPDATE_REPLAYED',
  /** A courier update for a cancelled shipment: the parcel must not be collected. */
  ShipmentCancelled: 'SHIPPING_SHIPMENT_CANCELLED',
} as const;
