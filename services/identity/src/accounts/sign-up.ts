import { DomainError, newId, type Clock } from '@talad/core';
import type { SignUpRequest } from '@talad/contracts-identity';
import { IdentityErrorCode } from '../error-codes.ts';
import { passwordProblems, type PasswordHasher } from '../passwords/index.ts';
import type { Account, AccountRepository } from './account-repository.ts';

export interface SignUpParts {
  accounts: AccountRepository;
  hasher: PasswordHasher;
  clock: Clock;
}

/**
 * Creates a customer account: the password must pass the policy, the email (already normalised by
 * the contract) must be free. Throws `IDENTITY_WEAK_PASSWORD` (400) or `IDENTITY_EMAIL_TAKEN` (409).
 *
 * @example
 * const account = await signUp(parts, { email: 'somchai@example.com', password: 'Sawasdee 2026', name: 'Somchai' });
 */
export async function signUp(parts: SignUpParts, request: SignUpRequest, roles: Account['roles'] = ['customer']) {
  const problems = passwordProblems(request.password, request.email);
  if (problems.length > 0) {
    throw new DomainError('invalid', IdentityErrorCode.WeakPassword, `the password ${problems.join('; ')}`, {
      reasons: problems,
    });
  }
  const account = await parts.accounts.insert({
    id: newId(parts.clock.now().getTime()),
    email: request.email,
    name: request.name,
    roles,
    passwordHash: await parts.hasher.hash(request.password),
    createdAt: parts.clock.now(),
    disabledAt: null,
  });
  if (!account) {
    throw new DomainError('conflict', IdentityErrorCode.EmailTaken, 'an account with this email already exists');
  }
  return account;
}
