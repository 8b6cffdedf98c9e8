import { isDomainError } from '@talad/core';
import { ShipmentStatusChanged } from '@talad/contracts-shipping';
import type { Messaging } from '@talad/messaging';
import type { Logger } from '@talad/service';
import { OrderingErrorCode } from '../error-codes.ts';
import type { OrderLifecycle } from '../orders/index.ts';

/**
 * Ordering follows its approved orders' parcels by choreography: shipping publishes every change of a
 * shipment (`shipping.ShipmentStatusChanged`), and the order records `OrderShipped` once it left the
 * warehouse (dispatched, or in transit if the dispatch was not heard) and `OrderDelivered` once it
 * arrived, each published through the outbox in the transaction that records the message in the inbox.
 * A change heard twice records nothing more; `created` and `cancelled` are not the order's news (the
 * cancellation saga owns a cancelled shipment). The time recorded is shipping's, not the time heard.
 *
 * @example
 * followShipments(messaging, createOrderLifecycle({ publisher: messaging }), logger); // before messaging.start()
 */
export function followShipments(
  messaging: Pick<Messaging, 'subscribe'>,
  orders: Pick<OrderLifecycle, 'recordShipped' | 'recordDelivered'>,
  logger?: Logger,
): void {
  messaging.subscribe({
    messages: [ShipmentStatusChanged],
    handler: async (message, tx) => {
      const { orderId, status, trackingNumber, changedAt } = message.data;
      const at = new Date(changedAt);
      try {
        switch (status) {
          case 'dispatched':
          case 'in_transit':
            await orders.recordShipped(tx, orderId, trackingNumber, at);
            return;
          case 'delivered':
            await orders.recordDelivered(tx, orderId, trackingNumber, at);
            return;
          case 'created':
          case 'cancelled':
            return;
        }
      } catch (error) {
        // A shipment of an order ordering never placed is no order's news; anything else is retried.
        if (!isDomainError(error) || error.code !== OrderingErrorCode.OrderNotFound) throw error;
        logger?.warn({ orderId, status }, 'shipment of an unknown order ignored');
      }
    },
  });
}
