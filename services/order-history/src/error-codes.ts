/** Codes order-history answers with. Append-only: a published code keeps its meaning and is never reused. */
export const OrderHistoryErrorCode = {
  /** No order with this id in the caller's history (it is someone else's, or its events have not arrived). */
  OrderNotFound: 'ORDER_HISTORY_ORDER_NOT_FOUND',
} as const;
