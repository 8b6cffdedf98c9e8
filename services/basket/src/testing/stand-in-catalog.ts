import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Product } from '@talad/contracts-catalog';

/**
 * A real HTTP server standing in for the catalog in the basket's tests: `GET /products/:id` from an
 * in-memory map, in catalog's published shape. `mode` makes it fail the ways a real catalog can.
 */
export interface StandInCatalog {
  readonly url: string;
  readonly products: Map<string, Product>;
  /** 'up' answers; 'error' answers 500; 'hang' never answers (the caller's deadline must end it). */
  mode: 'up' | 'error' | 'hang';
  /** Requests received so far. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startStandInCatalog(): Promise<StandInCatalog> {
  const products = new Map<string, Product>();
  const requests: string[] = [];
  const hanging = new Set<ServerResponse>();
  const catalog = { mode: 'up' as StandInCatalog['mode'] };
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (catalog.mode === 'hang') {
      hanging.add(response);
      return;
    }
    if (catalog.mode === 'error') {
      response.writeHead(500, { 'content-type': 'application/problem+json' }).end('{"status":500}');
      return;
    }
    const match = /^\/products\/([^/?]+)$/.exec(request.url ?? '');
    const product = match ? products.get(decodeURIComponent(match[1] ?? '')) : undefined;
    if (request.method !== 'GET' || !product) {
      response
        .writeHead(404, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ status: 404, code: 'CATALOG_PRODUCT_NOT_FOUND' }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(product));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(catalog, {
    url: `http://127.0.0.1:${port}`,
    products,
    requests,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
