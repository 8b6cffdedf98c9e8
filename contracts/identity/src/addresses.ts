import { z } from 'zod';
import { ShippingAddressSchema } from '@talad/contracts-common';

/** How many delivery addresses one customer may keep. */
export const MAX_ADDRESSES = 20;

/** A Thai delivery address, as the customer types it (every field required but `line2`). */
export const AddressInputSchema = ShippingAddressSchema;
export type AddressInput = z.infer<typeof AddressInputSchema>;

export const AddressSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    phone: z.string(),
    line1: z.string(),
    line2: z.string().optional(),
    subdistrict: z.string(),
    district: z.string(),
    province: z.string(),
    postalCode: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .describe("One of the customer's delivery addresses");
export type Address = z.infer<typeof AddressSchema>;

export const AddressListSchema = z.object({ items: z.array(AddressSchema) });
export type AddressList = z.infer<typeof AddressListSchema>;

export const AddressIdParamsSchema = z.strictObject({ id: z.uuid() });
export type AddressIdParams = z.infer<typeof AddressIdParamsSchema>;
