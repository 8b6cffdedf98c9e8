import { DomainError, type Clock } from '@talad/core';
import type { Logger } from '@talad/service';
import { IdentityErrorCode } from '../error-codes.ts';
import { passwordProblems, type PasswordHasher } from '../passwords/index.ts';
import type { AccountRepository } from './account-repository.ts';
import { signUp } from './sign-up.ts';

/**
 * Creates the admin account from `ADMIN_EMAIL` and `ADMIN_PASSWORD` on the first start; there is no
 * default password, so without both there is no admin. An existing account with that email is left
 * alone, even if it is a customer: promoting it would hand the shop to whoever signed up first with
 * the admin's address. A weak ADMIN_PASSWORD stops the start.
 *
 * @example
 * await ensureAdmin({ accounts, hasher, clock, logger }, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
 */
export async function ensureAdmin(
  parts: { accounts: AccountRepository; hasher: PasswordHasher; clock: Clock; logger: Logger },
  admin: { email: string | undefined; password: string | undefined },
): Promise<void> {
  const { email, password } = admin;
  if (email === undefined && password === undefined) return;
  if (email === undefined || password === undefined) {
    throw new Error('ADMIN_EMAIL and ADMIN_PASSWORD must be set together (or neither, for no admin account)');
  }
  const problems = passwordProblems(password, email);
  if (problems.length > 0) throw new Error(`ADMIN_PASSWORD ${problems.join('; ')}`);
  const existing = await parts.accounts.findByEmail(email);
  if (existing) {
    if (!existing.roles.includes('admin')) {
      parts.logger.warn(
        { userId: existing.id },
        'ADMIN_EMAIL belongs to an account that is not an admin; left as it is',
      );
    }
    return;
  }
  try {
    const account = await signUp(parts, { email, password, name: 'Administrator' }, ['admin']);
    parts.logger.info({ userId: account.id }, 'admin account created');
  } catch (error) {
    // Another instance, starting at the same moment, created it first.
    if (!(error instanceof DomainError && error.code === IdentityErrorCode.EmailTaken)) throw error;
  }
}
