import { describe, expect, it } from 'vitest';
import type { Envelope } from '@talad/messaging';
import { catalogCacheRules } from './catalog-cache-rules.ts';
import { invalidationGroup } from './config.ts';
import { createMemoryCacheStore } from './memory-cache-store.ts';
import { createResponseCache } from './response-cache.ts';

const id = '0193c5d2-7a1e-7c3b-9d4e-2f6a8b1c3d5e';
const rules = catalogCacheRules();

function event(type: string, data: unknown, subject = id): Envelope {
  return {
    specversion: '1.0',
    id: '0193c5d2-0000-7000-8000-000000000001',
    source: '/talad/catalog',
    type,
    time: '2025-04-05T07:53:43.000Z',
    subject,
    datacontenttype: 'application/json',
    data,
  };
}

describe('catalog cache rules', () => {
  it('files a product page under its product, and every other catalog answer under catalog', () => {
    expect(rules.scopeOf(`/api/catalog/products/${id}`)).toBe(`catalog/products/${id}`);
    expect(rules.scopeOf(`/api/catalog/products/${id}?view=full`)).toBe(`catalog/products/${id}`);
    expect(rules.scopeOf(`/api/catalog/products/${id.toUpperCase()}`)).toBe(`catalog/products/${id}`);
    expect(rules.scopeOf(`/api/catalog/products/%30${id.slice(1)}`)).toBe(`catalog/products/${id}`);
    expect(rules.scopeOf('/api/catalog/products?q=nmd&page=2')).toBe('catalog');
    expect(rules.scopeOf('/api/catalog/products/')).toBe('catalog');
    expect(rules.scopeOf('/api/catalog/products/snapshot?limit=1000')).toBe('catalog');
    expect(rules.scopeOf('/api/catalog')).toBe('catalog');
    expect(rules.scopeOf('/api/catalogue/products')).toBeUndefined();
    expect(rules.scopeOf('/api/identity/me')).toBeUndefined();
  });

  it('listens to catalog.events and makes the product page and all search answers stale', () => {
    expect(rules.topics).toEqual(['catalog.events']);
    const deleted = event('catalog.ProductDeleted.v1', { productId: id, sku: 'SNK-1' }, 'other-subject');
    expect(rules.staleScopes(deleted)).toEqual(['catalog', `catalog/products/${id}`]);
    // A version this gateway does not know yet still names its product by the subject.
    expect(rules.staleScopes(event('catalog.ProductUpdated.v2', { anything: true }))).toEqual([
      'catalog',
      `catalog/products/${id}`,
    ]);
    expect(rules.staleScopes(event('catalog.CategoryRenamed.v1', {}))).toEqual([]);
  });
});

describe('scoped cache keys', () => {
  it('puts the scope generation into the key, so a bump makes old entries unreachable', async () => {
    const store = createMemoryCacheStore();
    const cache = createResponseCache({ store, scopeOf: rules.scopeOf });
    const search = '/api/catalog/products?q=nmd';
    const page = `/api/catalog/products/${id}`;
    const before = { search: await cache.keyOf(search), page: await cache.keyOf(page) };
    expect(before.search?.startsWith(search)).toBe(true);
    expect(await cache.keyOf('/api/identity/.well-known/jwks.json')).toBe('/api/identity/.well-known/jwks.json');
    expect(await cache.keyOf('/api/orders/mine', 'user:1')).toBe('/api/orders/mine\u0000user:1');

    await cache.invalidateScopes(['catalog']);
    expect(await cache.keyOf(search)).not.toBe(before.search);
    expect(await cache.keyOf(page)).toBe(before.page);
    await cache.invalidateScopes([`catalog/products/${id}`]);
    expect(await cache.keyOf(page)).not.toBe(before.page);
  });

  it('stores no answer fetched under a generation that has moved on where it can be found', async () => {
    const cache = createResponseCache({ scopeOf: rules.scopeOf });
    const url = '/api/catalog/products?q=nmd';
    const key = (await cache.keyOf(url))!;
    await cache.invalidateScopes(['catalog']);
    // The fetch that started before the change writes under its old key, which nobody reads any more.
    cache.write(key, entry(), 60_000, cache.generation);
    expect(await cache.read((await cache.keyOf(url))!)).toBeUndefined();
  });
});

describe('invalidation consumer group', () => {
  it('is shared with a shared cache, and a stable one per instance with a cache in memory', () => {
    expect(invalidationGroup(true, 'gateway-1')).toBe('gateway');
    expect(invalidationGroup(false, 'gateway-1')).toBe('gateway-cache-gateway-1');
    expect(invalidationGroup(false, 'gw.pod/0')).toBe('gateway-cache-gw-pod-0');
    expect(invalidationGroup(false, undefined)).toBe('gateway');
  });
});

function entry() {
  return {
    status: 200,
    headers: {},
    body: Buffer.from('{}'),
    etag: '"x"',
    upstreamEtag: false,
    storedAt: Date.now(),
    freshUntil: Date.now() + 60_000,
    vary: [],
  };
}
