import { z } from 'zod';
import { AUTHORIZATION_STATUSES, DECLINE_CODES } from './card-rules.ts';

/** The card as the browser sends it, straight to the processor (never through Talad). */
export const CardDetailsSchema = z.strictObject({
  number: z.string().min(1).max(32).describe('Digits; spaces and dashes are ignored'),
  expMonth: z.int().min(1).max(12),
  expYear: z.int().min(0).max(9999).describe('Four digits, or two meaning 20YY'),
  cvc: z.string().min(1).max(8),
  name: z.string().trim().max(200).optional().describe("The cardholder's name"),
});

export const CardTokenSchema = z.object({
  token: z.string(),
  brand: z.string(),
  last4: z.string(),
  expMonth: z.int(),
  expYear: z.int(),
});

export const TokenParamsSchema = z.object({ token: z.string().min(1).max(200) });

export const AuthorizationRequestSchema = z.strictObject({
  token: z.string().min(1).max(200),
  amount: z.int().positive().describe('Minor units (satang for THB)'),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as THB' }),
  reference: z.string().min(1).max(200).describe("The merchant's own reference, e.g. the order id"),
});

export const AuthorizationSchema = z.object({
  id: z.string(),
  status: z.enum(AUTHORIZATION_STATUSES),
  declineCode: z.enum(DECLINE_CODES).optional(),
  token: z.string(),
  brand: z.string(),
  last4: z.string(),
  amount: z.int(),
  currency: z.string(),
  reference: z.string(),
  createdAt: z.iso.datetime(),
  capturedAt: z.iso.datetime().optional(),
  voidedAt: z.iso.datetime().optional(),
  refundedAt: z.iso.datetime().optional(),
});
export type AuthorizationView = z.infer<typeof AuthorizationSchema>;

export const AuthorizationListSchema = z.object({ items: z.array(AuthorizationSchema) });

export const AuthorizationParamsSchema = z.object({ id: z.string().min(1).max(200) });
export const AuthorizationListQuerySchema = z.object({ reference: z.string().min(1).max(200).optional() });

export const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z.string().min(1).max(255).optional().describe('Required: the same key replays the same answer'),
});

export const FaultsSchema = z.object({
  latencyMs: z.int().min(0).max(600_000),
  failureRate: z.number().min(0).max(1),
  slowCardDelayMs: z.int().min(0).max(600_000),
});
export const FaultChangesSchema = FaultsSchema.partial().strict();
