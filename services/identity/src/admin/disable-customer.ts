import type { Clock } from '@talad/core';
import { withTransaction, type Pool } from '@talad/pg';
import { createAccountRepository } from '../accounts/index.ts';
import type { RefreshTokens } from '../tokens/index.ts';

/**
 * Disables an account: it can no longer sign in, refresh or order (`verifyCustomer` says
 * `CUSTOMER_DISABLED`), and every refresh token it holds is revoked in the same transaction. Access
 * tokens already issued live out their short TTL. False when there is no such account.
 *
 * @example
 * await disableCustomer({ pool, clock, refreshTokens }, customerId);
 */
export async function disableCustomer(
  parts: { pool: Pool; clock: Clock; refreshTokens: RefreshTokens },
  customerId: string,
): Promise<boolean> {
  return withTransaction(parts.pool, async (tx) => {
    if (!(await createAccountRepository(tx).disable(customerId, parts.clock.now()))) return false;
    await parts.refreshTokens.revokeAllOf(customerId, 'disabled', tx);
    return true;
  });
}
