import { z } from 'zod';

/** Ordering's environment, beyond what every service reads (PORT, LOG_LEVEL, tracing). */
export const orderingConfig = {
  DATABASE_URL: z.string().min(1),
  BROKER_URL: z.string().min(1),
  JWKS_URL: z.url(),
  ISSUER: z.string().min(1),
  AUDIENCE: z.string().min(1),
  /** Where the price replica is filled from on the first start (`/products/snapshot`). */
  CATALOG_URL: z.url(),
  /** Where the shipping-rate replica is filled from on the first start (`/rates`). */
  SHIPPING_URL: z.url(),
  /** Where card tokens are checked while the customer waits (`/card-tokens/:token`). */
  PAYMENT_URL: z.url(),
};
