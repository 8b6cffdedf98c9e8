import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Product } from '@talad/contracts-catalog';

/**
 * A real HTTP server standing in for the catalog in inventory's tests: `GET /products/snapshot` pages
 * through `products` in id order, in catalog's published shape. `failing` answers 500 instead, as a
 * catalog that is down would.
 */
export interface SnapshotCatalog {
  readonly url: string;
  products: Product[];
  failing: boolean;
  /** Paths and queries of the requests received so far. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startSnapshotCatalog(products: Product[]): Promise<SnapshotCatalog> {
  const requests: string[] = [];
  const state = { products, failing: false };
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const url = new URL(request.url ?? '/', 'http://catalog');
    if (state.failing) {
      response.writeHead(500, { 'content-type': 'application/problem+json' }).end('{"status":500}');
      return;
    }
    if (request.method !== 'GET' || url.pathname !== '/products/snapshot') {
      response.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"status":404}');
      return;
    }
    const after = url.searchParams.get('after');
    const limit = Number(url.searchParams.get('limit') ?? '1000');
    const sorted = [...state.products].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rest = after ? sorted.filter((product) => product.id > after) : sorted;
    const items = rest.slice(0, limit);
    const next = rest.length > limit ? (items.at(-1)?.id ?? null) : null;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items, next }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** A product in catalog's shape; `n` makes its id (UUIDv7-shaped, ordered by n) and its sku. */
export function testProduct(n: number): Product {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id: productId(n),
    sku: `TST-${String(n).padStart(6, '0')}`,
    name: `Test product ${n}`,
    description: '',
    brand: 'Testbrand',
    category: 'Sneakers',
    price: { amount: 100_000, currency: 'THB' },
    sizes: [],
    imageUrl: '',
    rating: null,
    ratingCount: 0,
    createdAt: at,
    updatedAt: at,
  };
}

export function productId(n: number): string {
  return `01960000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
}
