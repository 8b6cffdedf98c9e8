import { OrderApproved } from '@talad/contracts-ordering';
import { CancelShipment, ShipmentCancellationRefused, ShipmentCancelled } from '@talad/contracts-shipping';
import { assertNever, newId, type Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import { changeStatus } from './announce-status.ts';
import { decideCancellation, newTrackingNumber } from './shipment.ts';
import {
  callOffPickup,
  insertShipment,
  isOrderCancelled,
  lockShipmentOfOrder,
  recordCancelledOrder,
} from './shipment-repository.ts';

export interface ShipmentHandlerParts {
  messaging: Messaging;
  clock: Clock;
  /** The courier every shipment goes with. */
  courier: string;
  /** Called once a handler's transaction may have made work for the pickup desk. */
  onPickupWork: () => void;
}

/**
 * Shipping's part in the choreography after checkout: an approved order gets one shipment (however
 * often its approval is delivered), and ordering's cancellation saga may stop it until it is dispatched.
 * Each message is handled in the transaction that records it in the inbox.
 */
export function subscribeShipmentHandlers(parts: ShipmentHandlerParts): void {
  const { messaging, clock } = parts;

  messaging.subscribe({
    messages: [OrderApproved],
    handler: async (message, tx) => {
      const order = message.data;
      // Cancelled before its approval reached us (the saga's compensation overtook it): ship nothing.
      if (await isOrderCancelled(tx, order.orderId)) return;
      const at = clock.now();
      const shipment = {
        id: newId(at.getTime()),
        orderId: order.orderId,
        customerId: order.customerId,
        trackingNumber: newTrackingNumber(),
        courier: parts.courier,
        option: order.shippingOption,
        address: order.shippingAddress,
      };
      if (!(await insertShipment(tx, shipment, at))) return;
      await changeStatus(tx, messaging, { ...shipment, status: 'created' }, 'created', at);
      parts.onPickupWork();
    },
  });

  messaging.subscribe({
    messages: [CancelShipment],
    handler: async (message, tx) => {
      const { orderId } = message.data;
      const at = clock.now();
      const shipment = await lockShipmentOfOrder(tx, orderId);
      if (!shipment) {
        await recordCancelledOrder(tx, orderId, at);
        await messaging.reply(tx, message, ShipmentCancelled, { orderId });
        return;
      }
      const decision = decideCancellation(shipment.status);
      switch (decision.kind) {
        case 'cancel':
          await changeStatus(tx, messaging, shipment, 'cancelled', at);
          await callOffPickup(tx, shipment.id, at);
          await messaging.reply(tx, message, ShipmentCancelled, { orderId, shipmentId: shipment.id });
          parts.onPickupWork();
          return;
        case 'already-cancelled':
          await messaging.reply(tx, message, ShipmentCancelled, { orderId, shipmentId: shipment.id });
          return;
        case 'refuse':
          await messaging.reply(tx, message, ShipmentCancellationRefused, { orderId, status: decision.status });
          return;
        default:
          assertNever(decision);
      }
    },
  });
}
