/** Codes the simulated courier answers with. Append-only: a published code keeps its meaning. */
export const CourierErrorCode = {
  /** No pickup was booked under this reference. */
  UnknownPickup: 'COURIER_UNKNOWN_PICKUP',
  /** The parcel has left the sender: the pickup can no longer be cancelled. */
  AlreadyDispatched: 'COURIER_ALREADY_DISPATCHED',
} as const;
