import { z } from 'zod';

export const PICKUP_STATUSES = ['booked', 'dispatched', 'in_transit', 'delivered', 'cancelled'] as const;
export type PickupStatus = (typeof PICKUP_STATUSES)[number];
/** What the courier reports to the sender, in this order. */
export const REPORTED_STATUSES = ['dispatched', 'in_transit', 'delivered'] as const;
export type ReportedStatus = (typeof REPORTED_STATUSES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);

export const PickupAddressSchema = z.object({
  name: text(100),
  phone: text(20),
  line1: text(200),
  line2: z.string().max(200).optional(),
  subdistrict: text(100),
  district: text(100),
  province: text(100),
  postalCode: z.string().regex(/^\d{5}$/, { error: 'must be 5 digits' }),
});

export const PickupRequestSchema = z.strictObject({
  reference: text(100).describe("The sender's own reference; booking it again returns the same pickup"),
  address: PickupAddressSchema,
  callbackUrl: z.url({ protocol: /^https?$/ }).describe('Where signed status updates are POSTed'),
  callbackSecret: z
    .string()
    .min(16)
    .max(200)
    .describe('Key of the HMAC-SHA256 signature on every status update (chosen by the sender, as for GitHub webhooks)'),
});
export type PickupRequest = z.infer<typeof PickupRequestSchema>;

export const PickupSchema = z.object({
  id: z.string(),
  reference: z.string(),
  status: z.enum(PICKUP_STATUSES),
  /** Updates the sender acknowledged, oldest first. */
  history: z.array(z.object({ status: z.enum(PICKUP_STATUSES), at: z.iso.datetime() })),
  bookedAt: z.iso.datetime(),
});
export type PickupView = z.infer<typeof PickupSchema>;

export const PickupListSchema = z.object({ items: z.array(PickupSchema) });
export const ReferenceParamsSchema = z.strictObject({ reference: text(100) });

/** The body of a status update, as POSTed to the callback URL. */
export const StatusUpdateSchema = z.object({
  eventId: z.uuid(),
  pickupId: z.string(),
  reference: z.string(),
  status: z.enum(REPORTED_STATUSES),
  occurredAt: z.iso.datetime(),
});
export type StatusUpdate = z.infer<typeof StatusUpdateSchema>;

export const PaceSchema = z.object({
  stepMs: z.int().positive().max(86_400_000),
  retryMs: z.int().min(1_000).max(30_000),
  callbackTimeoutMs: z.int().positive().max(60_000),
});
export const PaceChangesSchema = PaceSchema.partial().strict();
