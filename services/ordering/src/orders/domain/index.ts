export { decide } from './decide.ts';
export { evolve, fold } from './evolve.ts';
export { priceOrder, shippingFeeFor, type PricedProduct, type PricingInput, type RequestedLine } from './pricing.ts';
export {
  initialState,
  type CancellationAfterApproval,
  type CancelledBy,
  type Fulfilment,
  type Order,
  type OrderCommand,
  type OrderDetails,
  type OrderEvent,
  type OrderRejectionReason,
  type OrderState,
} from './order.ts';
