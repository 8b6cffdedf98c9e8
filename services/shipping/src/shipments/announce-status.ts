import { ShipmentStatusChanged, type ShipmentStatus } from '@talad/contracts-shipping';
import type { Messaging } from '@talad/messaging';
import type { Queryable } from '@talad/pg';
import { recordStatus, type Shipment } from './shipment-repository.ts';

/**
 * Records a shipment's new status and publishes it, in the caller's transaction: the change and its
 * event commit together. Keyed by order id, so one order's changes arrive in the order they were made.
 */
export async function changeStatus(
  tx: Queryable,
  messaging: Messaging,
  shipment: Shipment,
  status: ShipmentStatus,
  at: Date,
): Promise<void> {
  await recordStatus(tx, shipment.id, status, at);
  await messaging.publish(
    tx,
    ShipmentStatusChanged,
    {
      shipmentId: shipment.id,
      orderId: shipment.orderId,
      customerId: shipment.customerId,
      trackingNumber: shipment.trackingNumber,
      courier: shipment.courier,
      option: shipment.option,
      status,
      changedAt: at.toISOString(),
    },
    { key: shipment.orderId },
  );
}
