export { decide } from './decide.ts';
export { evolve, fold } from './evolve.ts';
export { priceOrder, shippingFeeFor, type PricedProduct, type PricingInput, type RequestedLine } from './pricing.ts';
export {
  initialState,
  type CancelledBy,
  type Order,
  type OrderCommand,
  type OrderDetails,
  type OrderEvent,
  type OrderRejectionReason,
  type OrderState,
} from './order.ts';
