import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayRoute } from './route-table.ts';
import { startTestBackend, type TestBackend } from './testing/test-backend.ts';
import { startTestGateway, type TestGateway } from './testing/test-gateway.ts';

const routes: GatewayRoute[] = [
  { prefix: '/api/catalog', upstream: 'catalog', access: 'public', deadlineMs: 2_000 },
  { prefix: '/api/uploads', upstream: 'catalog', access: 'public', deadlineMs: 2_000, bodyLimitBytes: 64 },
];
const ADMIN_SITE = 'https://admin.talad.test';

let backend: TestBackend;
let gateway: TestGateway;

beforeAll(async () => {
  backend = await startTestBackend('catalog');
  gateway = await startTestGateway({
    upstreams: { catalog: backend.url },
    routes,
    cors: { allowedOrigins: [ADMIN_SITE] },
    bodyLimitBytes: 1_024,
  });
});

afterAll(async () => {
  await gateway.close();
  await backend.close();
});

/** A raw request, so the test decides the framing: a declared length, or chunks of its choosing. */
function send(
  path: string,
  options: { headers?: Record<string, string>; chunks: Buffer[]; pauseMs?: number },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${gateway.url}${path}`, { method: 'POST', headers: options.headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    // The gateway may answer and close before the whole body is out; that is the point.
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    const writeNext = (index: number): void => {
      const chunk = options.chunks[index];
      if (!chunk) return void outgoing.end();
      outgoing.write(chunk);
      setTimeout(() => writeNext(index + 1), options.pauseMs ?? 0);
    };
    writeNext(0);
  });
}

describe('CORS', () => {
  it('answers a preflight from an allowed origin at the gateway', async () => {
    const before = backend.received.length;
    const answer = await fetch(`${gateway.url}/api/catalog/products`, {
      method: 'OPTIONS',
      headers: {
        origin: ADMIN_SITE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ADMIN_SITE);
    expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
    expect(answer.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(answer.headers.get('vary')).toContain('Origin');
    expect(backend.received.length).toBe(before);
  });

  it('refuses a preflight from any other origin', async () => {
    const answer = await fetch(`${gateway.url}/api/catalog/products`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'DELETE' },
    });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(await answer.json()).toMatchObject({ code: 'GATEWAY_CORS_ORIGIN_NOT_ALLOWED' });
  });

  it('marks answers to allowed origins readable, and only those', async () => {
    const allowed = await fetch(`${gateway.url}/api/catalog/products`, { headers: { origin: ADMIN_SITE } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ADMIN_SITE);
    expect(allowed.headers.get('access-control-expose-headers')).toContain('x-request-id');
    const other = await fetch(`${gateway.url}/api/catalog/products`, { headers: { origin: 'https://evil.test' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('security headers', () => {
  it('are on proxied answers and on the gateway’s own, without HSTS unless configured', async () => {
    for (const path of ['/api/catalog/products', '/api/nowhere']) {
      const answer = await fetch(`${gateway.url}${path}`);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(answer.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('adds Strict-Transport-Security when the gateway is behind TLS', async () => {
    const behindTls = await startTestGateway({ upstreams: { catalog: backend.url }, routes, security: { hsts: true } });
    try {
      const answer = await fetch(`${behindTls.url}/api/catalog/products`);
      expect(answer.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await behindTls.close();
    }
  });
});

describe('request body limits', () => {
  it('passes a body under the limit through unchanged', async () => {
    const answer = await send('/api/catalog/products', {
      headers: { 'content-type': 'application/json' },
      chunks: [Buffer.from('{"name":'), Buffer.from('"Sneaker"}')],
    });
    expect(answer.status).toBe(200);
    expect(backend.received.at(-1)?.body).toBe('{"name":"Sneaker"}');
  });

  it('refuses a declared Content-Length over the limit with 413 before reading the body', async () => {
    const before = backend.received.length;
    const answer = await send('/api/catalog/products', {
      headers: { 'content-type': 'application/json', 'content-length': '5000' },
      chunks: [Buffer.alloc(100, 'a')],
    });
    expect(answer.status).toBe(413);
    expect(answer.headers['connection']).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'GATEWAY_BODY_TOO_LARGE', limitBytes: 1_024 });
    expect(backend.received.length).toBe(before);
  });

  it('counts a chunked body while it streams and stops it at the limit with 413', async () => {
    const before = backend.received.length;
    const answer = await send('/api/catalog/products', {
      headers: { 'content-type': 'application/octet-stream' },
      chunks: Array.from({ length: 8 }, () => Buffer.alloc(400, 'b')),
      pauseMs: 20,
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'GATEWAY_BODY_TOO_LARGE' });
    // The upstream never received a complete request.
    expect(backend.received.length).toBe(before);
  });

  it('applies a route’s own limit, buffered bodies (Idempotency-Key) included', async () => {
    const answer = await send('/api/uploads/avatar', {
      headers: { 'idempotency-key': 'k-1' },
      chunks: [Buffer.alloc(40, 'c'), Buffer.alloc(40, 'c')],
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ limitBytes: 64 });
  });
});
