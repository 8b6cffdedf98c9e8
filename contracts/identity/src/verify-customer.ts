import { z } from 'zod';
import { defineMessage } from '@talad/messaging';

/**
 * The checkout saga's first step: ordering asks identity whether the customer may place an order.
 * These are the messages' `data` schemas and CloudEvents types, ready for `defineMessage` of the
 * messaging chassis.
 */
export const VERIFY_CUSTOMER = 'identity.VerifyCustomer.v1';
export const CUSTOMER_VERIFIED = 'identity.CustomerVerified.v1';
export const CUSTOMER_VERIFICATION_FAILED = 'identity.CustomerVerificationFailed.v1';

export const VerifyCustomerSchema = z.object({ customerId: z.uuid() });
export type VerifyCustomer = z.infer<typeof VerifyCustomerSchema>;

export const CustomerVerifiedSchema = z.object({ customerId: z.uuid() });
export type CustomerVerified = z.infer<typeof CustomerVerifiedSchema>;

/** Why a customer may not order: no such account, or an account an admin has disabled. */
export const CustomerRejectionReasonSchema = z.enum(['CUSTOMER_NOT_FOUND', 'CUSTOMER_DISABLED']);
export type CustomerRejectionReason = z.infer<typeof CustomerRejectionReasonSchema>;

export const CustomerVerificationFailedSchema = z.object({
  customerId: z.uuid(),
  reason: CustomerRejectionReasonSchema,
});
export type CustomerVerificationFailed = z.infer<typeof CustomerVerificationFailedSchema>;

export const VerifyCustomer = defineMessage({ type: VERIFY_CUSTOMER, kind: 'command', schema: VerifyCustomerSchema });
export const CustomerVerified = defineMessage({
  type: CUSTOMER_VERIFIED,
  kind: 'reply',
  schema: CustomerVerifiedSchema,
});
export const CustomerVerificationFailed = defineMessage({
  type: CUSTOMER_VERIFICATION_FAILED,
  kind: 'reply',
  schema: CustomerVerificationFailedSchema,
});
