import type { FastifyRequest } from 'fastify';
import { DomainError } from '@talad/core';
import type { Caller, ClientCaller, UserCaller } from './caller.ts';
import { AuthErrorCode } from './error-codes.ts';

/**
 * The signed-in person calling this route. On a `'customer'` or `'admin'` route the access hook has
 * already made sure there is one, so this only narrows the type; elsewhere it answers 401 or 403.
 *
 * @example
 * app.get('/me', { config: { access: 'customer' } }, async (request) => {
 *   const { userId } = requireUser(request);
 *   return accounts.findById(userId);
 * });
 */
export function requireUser(request: FastifyRequest): UserCaller {
  const caller = requireCaller(request);
  if (caller.kind !== 'user') throw forbidden('this route is for signed-in people, not machine clients');
  return caller;
}

/** The machine client calling this route; 401 or 403 for anyone else. */
export function requireClient(request: FastifyRequest): ClientCaller {
  const caller = requireCaller(request);
  if (caller.kind !== 'client') throw forbidden('this route is for machine clients');
  return caller;
}

/** Whoever is calling, person or machine; 401 when nobody signed in. */
export function requireCaller(request: FastifyRequest): Caller {
  if (!request.caller) {
    throw new DomainError('unauthenticated', AuthErrorCode.TokenMissing, 'sign in first: no bearer token was sent');
  }
  return request.caller;
}

function forbidden(message: string): DomainError {
  return new DomainError('forbidden', AuthErrorCode.Forbidden, message);
}
