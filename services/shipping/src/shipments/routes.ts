import { requireUser } from '@talad/auth';
import {
  ShipmentByOrderParamsSchema,
  ShipmentViewSchema,
  TrackingParamsSchema,
  TrackingViewSchema,
} from '@talad/contracts-shipping';
import { DomainError } from '@talad/core';
import type { Pool } from '@talad/pg';
import type { ServiceApp } from '@talad/service';
import { ShippingErrorCode } from '../error-codes.ts';
import { readShipmentOfOrder, readTracking } from './shipment-repository.ts';

/**
 * An order's shipment for its customer (and admins), which the gateway's order details ask for with
 * the caller's token, and tracking for anyone holding the number. Both change as the parcel moves, so
 * neither may be kept by a shared cache; the order's is someone's own.
 */
export function registerShipmentRoutes(app: ServiceApp, pool: Pool): void {
  app.get(
    '/shipments/by-order/:orderId',
    {
      config: { access: 'customer' },
      schema: {
        summary: "An order's shipment, for its customer",
        description: 'The address, the tracking number and the status timeline. Another customer gets 404.',
        params: ShipmentByOrderParamsSchema,
        response: { 200: ShipmentViewSchema },
      },
    },
    async (request, reply) => {
      const caller = requireUser(request);
      const shipment = await readShipmentOfOrder(pool, request.params.orderId);
      if (!shipment || (shipment.customerId !== caller.userId && !caller.roles.includes('admin'))) {
        throw new DomainError('not-found', ShippingErrorCode.ShipmentNotFound, 'no shipment for this order of yours');
      }
      reply.header('cache-control', 'private, no-store');
      return shipment;
    },
  );

  app.get(
    '/shipments/track/:trackingNumber',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Where a parcel is: its status timeline',
        description: 'Public: anyone with the tracking number. No address, order or customer.',
        params: TrackingParamsSchema,
        response: { 200: TrackingViewSchema },
      },
    },
    async (request, reply) => {
      const tracking = await readTracking(pool, request.params.trackingNumber);
      if (!tracking) {
        throw new DomainError(
          'not-found',
          ShippingErrorCode.ShipmentNotFound,
          `no shipment with tracking number ${request.params.trackingNumber}`,
        );
      }
      reply.header('cache-control', 'no-cache');
      return tracking;
    },
  );
}
