/**
 * Every public route of Talad on one page: the path prefix the gateway answers, the service behind
 * it, and how long a caller waits at most. The prefix is removed before the request goes upstream:
 * `GET /api/catalog/products?q=nmd` reaches catalog as `GET /products?q=nmd`.
 */

export interface GatewayRoute {
  /** Public path prefix, without a trailing slash. */
  readonly prefix: string;
  /** The upstream service's name; its address comes from configuration (`<NAME>_URL`). */
  readonly upstream: string;
  /** Deadline for the whole upstream exchange; past it the caller gets 504. */
  readonly deadlineMs: number;
}

export const routeTable: readonly GatewayRoute[] = [{ prefix: '/api/catalog', upstream: 'catalog', deadlineMs: 5_000 }];
