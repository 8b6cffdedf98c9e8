import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, setupTracing, type ServiceApp } from '@talad/service';
import { buildGatewayApp } from './app.ts';

/** A real upstream over real HTTP that records what reached it. */
let upstream: Server;
let lastSeen: { url: string; headers: IncomingHttpHeaders; body: string } | undefined;
let gateway: ServiceApp;
let gatewayUrl: string;

beforeAll(async () => {
  setupTracing({ serviceName: 'gateway-test', serviceVersion: 'test' });
  upstream = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      lastSeen = { url: request.url ?? '', headers: request.headers, body };
      if (request.url?.startsWith('/slow')) {
        setTimeout(() => response.end('late'), 1_000);
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.setHeader('x-upstream', 'catalog');
      response.end(JSON.stringify({ path: request.url, method: request.method }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamOrigin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gateway = await buildGatewayApp({
    upstreams: { catalog: upstreamOrigin, shipping: 'http://127.0.0.1:1' },
    routes: [
      { prefix: '/api/catalog', upstream: 'catalog', access: 'public', deadlineMs: 300 },
      { prefix: '/api/shipping', upstream: 'shipping', access: 'public', deadlineMs: 300 },
    ],
    logger: createLogger({ service: 'gateway', level: 'silent' }),
  });
  gatewayUrl = await gateway.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await gateway.close();
  await new Promise((resolve) => upstream.close(resolve));
});

describe('gateway v1', () => {
  it('routes /api/catalog/* to catalog without the prefix, query string intact', async () => {
    const response = await fetch(`${gatewayUrl}/api/catalog/products?q=addidas%20nmd&page=2`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-upstream')).toBe('catalog');
    expect(await response.json()).toEqual({ path: '/products?q=addidas%20nmd&page=2', method: 'GET' });
  });

  it('passes the request id and continues the caller trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${gatewayUrl}/api/catalog/products`, {
      headers: { 'x-request-id': 'req-from-client-1', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.headers.get('x-request-id')).toBe('req-from-client-1');
    expect(lastSeen?.headers['x-request-id']).toBe('req-from-client-1');
    const forwarded = String(lastSeen?.headers['traceparent']);
    expect(forwarded).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    // The gateway's own span sits between the caller's and the upstream's.
    expect(forwarded).not.toContain('00f067aa0ba902b7');
  });

  it('streams request bodies upstream unchanged', async () => {
    await fetch(`${gatewayUrl}/api/catalog/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Sneaker' }),
    });
    expect(lastSeen?.body).toBe('{"name":"Sneaker"}');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await fetch(`${gatewayUrl}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers 503 naming the service when the upstream is down', async () => {
    const response = await fetch(`${gatewayUrl}/api/shipping/quote`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'GATEWAY_UPSTREAM_UNAVAILABLE', service: 'shipping' });
  });

  it('answers 504 naming the service when the upstream is too slow', async () => {
    const response = await fetch(`${gatewayUrl}/api/catalog/slow`);
    expect(response.status).toBe(504);
    const body = (await response.json()) as { detail: string };
    expect(body).toMatchObject({ code: 'GATEWAY_UPSTREAM_TIMEOUT', service: 'catalog' });
    expect(body.detail).toContain('catalog');
  });

  it('counts upstream outcomes per route in its metrics', async () => {
    const metrics = await (await fetch(`${gatewayUrl}/metrics`)).text();
    expect(metrics).toMatch(/gateway_upstream_requests_total\{[^}]*upstream="catalog"[^}]*outcome="200"[^}]*\} \d+/);
    expect(metrics).toMatch(/gateway_upstream_requests_total\{[^}]*upstream="shipping"[^}]*outcome="unreachable"/);
  });
});
