export { buildCourierApp, DEFAULT_PACE, type CourierAppOptions } from './app.ts';
export { signUpdate, SIGNATURE_HEADER } from './signature.ts';
export { CourierErrorCode } from './error-codes.ts';
export {
  PickupSchema,
  PickupRequestSchema,
  StatusUpdateSchema,
  PICKUP_STATUSES,
  REPORTED_STATUSES,
  type PickupRequest,
  type PickupStatus,
  type PickupView,
  type StatusUpdate,
} from './schemas.ts';
export type { Pace } from './pickups.ts';
