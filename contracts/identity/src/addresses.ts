import { z } from 'zod';

/** How many delivery addresses one customer may keep. */
export const MAX_ADDRESSES = 20;

const text = (max: number) => z.string().trim().min(1).max(max);

/** A Thai delivery address, as the customer types it (every field required but `line2`). */
export const AddressInputSchema = z
  .strictObject({
    name: text(100).describe('Who receives the parcel'),
    phone: z
      .string()
      .trim()
      .regex(/^(?:\+66|0)\d{8,9}$/, { error: 'must be a Thai phone number such as 0812345678 or +66812345678' })
      .describe('Thai phone number, digits only: 0812345678 or +66812345678'),
    line1: text(200).describe('House number, building, street'),
    line2: z.string().trim().max(200).optional().describe('Anything else: floor, room, landmark'),
    subdistrict: text(100).describe('Tambon / khwaeng'),
    district: text(100).describe('Amphoe / khet'),
    province: text(100).describe('Changwat, e.g. Bangkok or Chiang Mai'),
    postalCode: z
      .string()
      .trim()
      .regex(/^\d{5}$/, { error: 'must be 5 digits' })
      .describe('Thai postal code: 5 digits'),
  })
  .describe('A delivery address');
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
