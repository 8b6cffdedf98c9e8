import { QuoteQuerySchema, QuoteSchema, ShippingRateSchema } from '@talad/contracts-shipping';
import type { Pool } from '@talad/pg';
import type { ServiceApp } from '@talad/service';
import { z } from 'zod';
import { quoteFor } from './quote.ts';
import { readRates } from './rate-table.ts';

export const RateTableSchema = z.object({ rates: z.array(ShippingRateSchema) });

/** The rates and quotes, for anyone: the storefront shows them before sign-in, ordering bootstraps from them. */
export function registerRateRoutes(app: ServiceApp, pool: Pool): void {
  app.get(
    '/rates',
    {
      config: { access: 'public' },
      schema: {
        summary: 'The shipping rate table',
        description: 'Every delivery option with its fee, free-shipping threshold and delivery days.',
        response: { 200: RateTableSchema },
      },
    },
    async () => ({ rates: await readRates(pool) }),
  );

  app.get(
    '/quote',
    {
      config: { access: 'public' },
      schema: {
        summary: 'What each delivery option costs for a subtotal',
        querystring: QuoteQuerySchema,
        response: { 200: QuoteSchema },
      },
    },
    async (request) => quoteFor(await readRates(pool), { amount: request.query.subtotal, currency: 'THB' }),
  );
}
