/**
 * Errors that carry a stable, documented code (`CATALOG_PRODUCT_NOT_FOUND`) and a meaning.
 * The meaning decides the HTTP status in one place (the service chassis); codes are never reused.
 */
export type ErrorKind =
  | 'invalid' // the caller sent something wrong: 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not-found' // 404
  | 'conflict' // the request clashes with current state: 409
  | 'unprocessable' // well-formed but against a business rule: 422
  | 'rate-limited' // 429
  | 'unavailable' // a dependency is down: 503
  | 'timeout'; // a dependency was too slow: 504

export class DomainError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** Exhaustiveness check: a new union member fails to compile until it is handled. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
