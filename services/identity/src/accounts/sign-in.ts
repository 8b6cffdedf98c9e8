import { DomainError } from '@talad/core';
import type { TokenResponse } from '@talad/contracts-identity';
import { IdentityErrorCode } from '../error-codes.ts';
import type { PasswordHasher } from '../passwords/index.ts';
import type { Sessions } from '../tokens/index.ts';
import type { AccountRepository } from './account-repository.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

export interface SignInParts {
  accounts: AccountRepository;
  hasher: PasswordHasher;
  throttle: SignInThrottle;
  sessions: Sessions;
}

export interface SignInAttempt {
  /** Normalised by the contract. */
  email: string;
  password: string;
  /** The client's address, for the per-address throttle. */
  address: string;
}

/**
 * Signs a person in. An unknown email and a wrong password get the very same answer (status, code,
 * message) after the same work (a password hash is checked either way), so neither the answer nor
 * its timing tells whether an account exists. Too many failures for the email or from the address
 * answer `IDENTITY_TOO_MANY_SIGN_IN_ATTEMPTS` (429, `details.retryAfterSeconds`) before any password is checked.
 *
 * @example
 * const tokens = await signIn(parts, { email, password, address: request.ip });
 */
export async function signIn(parts: SignInParts, attempt: SignInAttempt): Promise<TokenResponse> {
  const throttled = { email: attempt.email, address: attempt.address };
  const retryAfterSeconds = await parts.throttle.retryAfter(throttled);
  if (retryAfterSeconds !== undefined) {
    throw new DomainError(
      'rate-limited',
      IdentityErrorCode.TooManySignInAttempts,
      'too many failed sign-ins; wait before trying again',
      { retryAfterSeconds },
    );
  }
  const account = await parts.accounts.findByEmail(attempt.email);
  const passwordMatches = account
    ? await parts.hasher.verify(attempt.password, account.passwordHash)
    : await parts.hasher.verifyNothing(attempt.password);
  if (!account || !passwordMatches) {
    await parts.throttle.recordFailure(throttled);
    throw new DomainError(
      'unauthenticated',
      IdentityErrorCode.InvalidCredentials,
      'the email or the password is wrong',
    );
  }
  if (account.disabledAt) {
    throw new DomainError('forbidden', IdentityErrorCode.AccountDisabled, 'this account has been disabled');
  }
  await parts.throttle.forgive(throttled);
  if (parts.hasher.needsRehash(account.passwordHash)) {
    // The password is at hand only now: the moment to bring an old hash up to the current parameters.
    await parts.accounts.updatePasswordHash(account.id, await parts.hasher.hash(attempt.password));
  }
  return parts.sessions.open(account);
}
