/** Codes ordering answers with. Append-only: a published code keeps its meaning and is never reused. */
export const OrderingErrorCode = {
  /** `POST /orders` without an `Idempotency-Key` header (or with a blank one). */
  IdempotencyKeyRequired: 'ORDERING_IDEMPOTENCY_KEY_REQUIRED',
  /** The `Idempotency-Key` was already used by this customer for a different request body. */
  IdempotencyKeyReused: 'ORDERING_IDEMPOTENCY_KEY_REUSED',
  /** An order without lines. */
  EmptyOrder: 'ORDERING_EMPTY_ORDER',
  /** More lines than an order may have. */
  TooManyLines: 'ORDERING_TOO_MANY_LINES',
  /** A line's quantity is not a whole number from 1 to the line limit. */
  InvalidQuantity: 'ORDERING_INVALID_QUANTITY',
  /** The same product and size on two lines. */
  DuplicateLine: 'ORDERING_DUPLICATE_LINE',
  /** A line names a product the shop does not sell (or no longer sells). */
  UnknownProduct: 'ORDERING_UNKNOWN_PRODUCT',
  /** A line names a size the product does not come in (or a size for a product without sizes). */
  InvalidSize: 'ORDERING_INVALID_SIZE',
  /** A line for a product that comes in sizes names none. */
  SizeRequired: 'ORDERING_SIZE_REQUIRED',
  /** The card token is not one the payment provider issued. */
  UnknownCardToken: 'ORDERING_UNKNOWN_CARD_TOKEN',
  /** No order with this id that the caller may see. */
  OrderNotFound: 'ORDERING_ORDER_NOT_FOUND',
  /** The order was approved, rejected, or is past the point where checkout can be undone. */
  OrderNotCancellable: 'ORDERING_ORDER_NOT_CANCELLABLE',
  /** A change that only a pending order accepts (approve, reject) reached one that is no longer pending. */
  OrderNotPending: 'ORDERING_ORDER_NOT_PENDING',
  /** An order with this id already exists. */
  OrderAlreadyPlaced: 'ORDERING_ORDER_ALREADY_PLACED',
  /** Ordering does not know the shipping rates yet (its replica was never filled). */
  ShippingRatesUnavailable: 'ORDERING_SHIPPING_RATES_UNAVAILABLE',
  /** No checkout saga with this id. */
  SagaNotFound: 'ORDERING_SAGA_NOT_FOUND',
  /** A cancellation of an order whose parcel shipping already dispatched: it can only be returned. */
  OrderAlreadyDispatched: 'ORDERING_ORDER_ALREADY_DISPATCHED',
} as const;
