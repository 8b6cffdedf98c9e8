import type { CustomerRejectionReason } from '@talad/contracts-identity';
import { isUuid } from '@talad/core';
import type { Queryable } from '@talad/pg';

export type CustomerVerification = { verified: true } | { verified: false; reason: CustomerRejectionReason };

/**
 * The decision behind the checkout saga's `VerifyCustomer` command: a customer may order when the
 * account exists and is not disabled. The command handler (`verify-customer-handler.ts`) replies
 * `CustomerVerified` or `CustomerVerificationFailed` with `reason`.
 *
 * @example
 * await verifyCustomer(pool, customerId); // { verified: false, reason: 'CUSTOMER_DISABLED' }
 */
export async function verifyCustomer(db: Queryable, customerId: string): Promise<CustomerVerification> {
  if (!isUuid(customerId)) return { verified: false, reason: 'CUSTOMER_NOT_FOUND' };
  const { rows } = await db.query<{ disabled_at: Date | null }>('SELECT disabled_at FROM users WHERE id = $1', [
    customerId,
  ]);
  const row = rows[0];
  if (!row) return { verified: false, reason: 'CUSTOMER_NOT_FOUND' };
  if (row.disabled_at) return { verified: false, reason: 'CUSTOMER_DISABLED' };
  return { verified: true };
}
