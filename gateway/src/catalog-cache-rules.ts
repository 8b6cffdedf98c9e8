import { ProductCreated, ProductDeleted, ProductUpdated } from '@talad/contracts-catalog';
import { parseMessageType, topicOf, type Envelope } from '@talad/messaging';
import type { CacheInvalidationRules } from './cache-invalidation.ts';

const PRODUCT_EVENTS = [ProductCreated, ProductUpdated, ProductDeleted];
const PRODUCT_EVENT_NAMES = new Set(PRODUCT_EVENTS.map((definition) => definition.name));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * How catalog's product events reach the gateway's cache. A product page (`<prefix>/products/<id>`, any
 * query) is filed under the product's own scope, `catalog/products/<id>`; every other catalog answer
 * (search pages, facets, the snapshot) may show any product, so all of them share the scope `catalog`. A product
 * created, changed or deleted makes its own page and every search answer stale, and nothing else:
 * the pages of other products stay cached.
 *
 * @example
 * const rules = catalogCacheRules();
 * rules.scopeOf('/api/catalog/products?q=nmd');    // 'catalog'
 * rules.scopeOf('/api/catalog/products/0193c5d2…'); // 'catalog/products/0193c5d2…'
 */
export function catalogCacheRules(options: { publicPrefix?: string } = {}): CacheInvalidationRules {
  // The prefix under which the route table publishes catalog.
  const prefix = options.publicPrefix ?? '/api/catalog';
  const productPages = `${prefix}/products/`;
  return {
    upstream: 'catalog',
    topics: [...new Set(PRODUCT_EVENTS.map((definition) => topicOf(definition) ?? ''))],
    scopeOf(url) {
      const path = url.split('?', 1)[0] ?? '';
      if (path !== prefix && !path.startsWith(`${prefix}/`)) return undefined;
      if (!path.startsWith(productPages)) return 'catalog';
      // Product ids are UUIDs; other paths under products (the snapshot of them all) list any product.
      const id = decoded(path.slice(productPages.length).split('/', 1)[0] ?? '').toLowerCase();
      return UUID.test(id) ? productScope(id) : 'catalog';
    },
    staleScopes(envelope) {
      const name = parseMessageType(envelope.type)?.name;
      if (name === undefined || !PRODUCT_EVENT_NAMES.has(name)) return [];
      return ['catalog', productScope(productIdOf(envelope).toLowerCase())];
    },
  };
}

/** From the data where this version's schema reads it; otherwise the subject, which catalog sets to the id. */
function productIdOf(envelope: Envelope): string {
  const known = PRODUCT_EVENTS.find((definition) => definition.type === envelope.type);
  const parsed = known?.schema.safeParse(envelope.data);
  if (parsed?.success) return 'product' in parsed.data ? parsed.data.product.id : parsed.data.productId;
  return envelope.subject;
}

function productScope(id: string): string {
  return `catalog/products/${id}`;
}

/**
 * The same product whatever way its id is written in a URL: `%30193…` and upper-case hex reach the
 * same product in catalog (path parameters are decoded; PostgreSQL reads UUIDs in either case).
 */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Not valid percent-encoding: catalog refuses it, and a refusal is never cached.
    return segment;
  }
}
