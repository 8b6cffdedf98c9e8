import { z } from 'zod';
import { ProfileSchema } from './accounts.ts';

const WHOLE_NUMBER = /^\d{1,6}$/;
const pageNumber = (max: number, fallback: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && WHOLE_NUMBER.test(value) ? Number(value) : value),
    z.int().min(1).max(max).default(fallback),
  );

/** `GET /admin/customers`: newest first. */
export const ListCustomersQuerySchema = z.strictObject({
  page: pageNumber(10_000, 1).describe('1-based page number'),
  pageSize: pageNumber(100, 20).describe('Accounts per page, at most 100'),
});
export type ListCustomersQuery = z.output<typeof ListCustomersQuerySchema>;

export const CustomerSummarySchema = ProfileSchema.extend({
  disabled: z.boolean(),
});
export type CustomerSummary = z.infer<typeof CustomerSummarySchema>;

export const CustomerListSchema = z.object({
  items: z.array(CustomerSummarySchema),
  page: z.int().min(1),
  pageSize: z.int().min(1),
  total: z.int().nonnegative(),
});
export type CustomerList = z.infer<typeof CustomerListSchema>;

export const CustomerIdParamsSchema = z.strictObject({ id: z.uuid() });

/** `POST /admin/keys/rotate`: the key that will sign from `activatesAt` on. */
export const KeyRotationSchema = z.object({
  kid: z.string(),
  activatesAt: z.iso.datetime(),
});
export type KeyRotation = z.infer<typeof KeyRotationSchema>;
