import { z } from 'zod';

/** Ordering's own environment, beyond the database, broker and token variables every service reads. */
export const orderingConfig = {
  /** Where the price replica is filled from on the first start (`/products/snapshot`). */
  CATALOG_URL: z.url(),
  /** Where the shipping-rate replica is filled from on the first start (`/rates`). */
  SHIPPING_URL: z.url(),
  /** Where card tokens are checked while the customer waits (`/card-tokens/:token`). */
  PAYMENT_URL: z.url(),
};
