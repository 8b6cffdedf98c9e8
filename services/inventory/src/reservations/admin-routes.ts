import { ReservationListSchema, ReservationQuerySchema } from '@talad/contracts-inventory';
import type { Queryable } from '@talad/pg';
import type { ServiceApp } from '@talad/service';
import { INVENTORY_READERS } from '../stock/admin-routes.ts';
import { findReservations } from './reservation-store.ts';

export function registerReservationAdminRoutes(app: ServiceApp, db: Queryable): void {
  app.get(
    '/admin/reservations',
    {
      config: { access: INVENTORY_READERS },
      schema: {
        summary: "An order's reservation, or the newest",
        querystring: ReservationQuerySchema,
        response: { 200: ReservationListSchema },
      },
    },
    async (request) => ({ items: await findReservations(db, request.query.orderId) }),
  );
}
