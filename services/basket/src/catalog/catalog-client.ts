import { ProductSchema, type Product } from '@talad/contracts-catalog';
import { DomainError } from '@talad/core';
import { injectTraceHeaders } from '@talad/service';
import { BasketErrorCode } from '../error-codes.ts';

/** The catalog as the basket needs it: one product, as it is now. */
export interface CatalogClient {
  /** The product, or null when the catalog has no such product; throws 503 when the catalog fails. */
  findProduct(productId: string): Promise<Product | null>;
}

export interface CatalogClientOptions {
  /** The catalog's origin, e.g. `http://127.0.0.1:8101`. */
  baseUrl: string;
  /** How long the shopper waits for the catalog at most. Defaults to 2 s. */
  timeoutMs?: number;
}

/**
 * Reads products from the catalog's published API (`GET /products/:id`) with a deadline. A catalog that
 * is down, slow or answers something other than a product or a 404 is a dependency failure (503), never
 * a 500 and never "no such product". Safe to retry, but the shopper's request is the retry: a click
 * waits no longer than the deadline.
 */
export function createCatalogClient(options: CatalogClientOptions): CatalogClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 2_000;
  // The shopper learns only that the catalog is unavailable; the cause stays on the error for the log.
  const unavailable = (why: string, cause?: unknown): DomainError => {
    const error = new DomainError(
      'unavailable',
      BasketErrorCode.CatalogUnavailable,
      'the catalog cannot be reached just now; try again shortly',
    );
    error.cause = cause ?? why;
    return error;
  };

  return {
    async findProduct(productId) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/products/${encodeURIComponent(productId)}`, {
          headers: injectTraceHeaders({ accept: 'application/json' }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw unavailable('no answer', error);
      }
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw unavailable(`catalog answered ${response.status}`);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch (error) {
        throw unavailable('unreadable answer', error);
      }
      const parsed = ProductSchema.safeParse(body);
      if (!parsed.success) throw unavailable('the answer is not a product', parsed.error);
      return parsed.data;
    },
  };
}
