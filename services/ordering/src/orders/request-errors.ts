import { DomainError } from '@talad/core';
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from '@talad/contracts-ordering';
import { OrderingErrorCode } from '../error-codes.ts';

export interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string | undefined;
}

/**
 * Turns a place-order body that failed the contract's schema into the specific code a client can act
 * on (an empty order, too many lines, a bad quantity), keeping every field error beside it. Anything
 * else stays the chassis's generic 400 (undefined here).
 */
export function placeOrderValidationError(issues: readonly ValidationIssue[]): DomainError | undefined {
  const errors = issues.map((issue) => ({
    in: 'body',
    name: issue.instancePath.replace(/^\//, '').replaceAll('/', '.'),
    message: issue.message ?? 'is invalid',
  }));
  for (const issue of issues) {
    const path = issue.instancePath.split('/').filter(Boolean);
    if (path.length === 1 && path[0] === 'lines' && issue.keyword === 'too_small') {
      return new DomainError('invalid', OrderingErrorCode.EmptyOrder, 'an order needs at least one line', { errors });
    }
    if (path.length === 1 && path[0] === 'lines' && issue.keyword === 'too_big') {
      return new DomainError(
        'invalid',
        OrderingErrorCode.TooManyLines,
        `an order has at most ${MAX_ORDER_LINES} lines`,
        {
          errors,
        },
      );
    }
    if (path.length === 3 && path[0] === 'lines' && path[2] === 'quantity') {
      return new DomainError(
        'invalid',
        OrderingErrorCode.InvalidQuantity,
        `lines[${path[1] ?? ''}]: quantity must be a whole number from 1 to ${MAX_LINE_QUANTITY}`,
        { line: Number(path[1]), errors },
      );
    }
  }
  return undefined;
}
