/**
 * Vocabulary every contract shares: money and the shipping address. Kept apart so that a contract
 * never depends on another service's contract only to say "an amount of baht".
 */
import { z } from 'zod';

export const MoneySchema = z
  .object({
    amount: z.int().nonnegative().describe('Integer minor units (satang for THB)'),
    currency: z.literal('THB'),
  })
  .describe('An amount of money in minor units, never floating point');
export type Money = z.infer<typeof MoneySchema>;

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * A Thai delivery address as the customer types it (every field required but `line2`). Identity keeps
 * the customer's saved ones; an order keeps its own copy, so a later change leaves the order as it was.
 */
export const ShippingAddressSchema = z
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
export type ShippingAddress = z.infer<typeof ShippingAddressSchema>;

export const SHIPPING_OPTIONS = ['standard', 'express'] as const;
export const ShippingOptionSchema = z.enum(SHIPPING_OPTIONS);
export type ShippingOption = z.infer<typeof ShippingOptionSchema>;
