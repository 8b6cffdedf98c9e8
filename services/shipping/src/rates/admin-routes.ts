import { SHIPPING_OPTIONS } from '@talad/contracts-common';
import { ShippingRateSchema } from '@talad/contracts-shipping';
import type { Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import type { ServiceApp } from '@talad/service';
import { z } from 'zod';
import { announceRates } from './announce-rates.ts';
import { replaceRates } from './rate-table.ts';
import { RateTableSchema } from './routes.ts';

/** Administrators (people with the admin role, or a machine client with the scope). */
export const SHIPPING_WRITERS = ['admin', { scope: 'shipping:write' }] as const;

export const ReplaceRatesSchema = z.strictObject({
  rates: z.array(ShippingRateSchema).min(1).max(SHIPPING_OPTIONS.length),
});

/**
 * Replacing the rate table. The new table and the `ShippingRatesChanged` event carrying it commit in
 * one transaction (the outbox), so ordering's replica never misses a change nor hears of a rolled-back one.
 */
export function registerRateAdminRoutes(app: ServiceApp, messaging: Messaging, clock: Clock): void {
  app.put(
    '/admin/rates',
    {
      config: { access: SHIPPING_WRITERS },
      schema: {
        summary: 'Replace the shipping rate table',
        description: 'Options left out are no longer offered. Publishes shipping.ShippingRatesChanged.v1.',
        body: ReplaceRatesSchema,
        response: { 200: RateTableSchema },
      },
    },
    async (request) =>
      messaging.transaction(async (tx) => {
        await replaceRates(tx, request.body.rates);
        return { rates: await announceRates(tx, messaging, clock) };
      }),
  );
}
