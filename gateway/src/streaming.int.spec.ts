import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayRoute } from './route-table.ts';
import { startTestBackend, type TestBackend } from './testing/test-backend.ts';
import { startTestGateway, type TestGateway } from './testing/test-gateway.ts';

const routes: GatewayRoute[] = [
  { prefix: '/api/files', upstream: 'files', access: 'public', deadlineMs: 5_000 },
  { prefix: '/api/cached', upstream: 'files', access: 'public', deadlineMs: 5_000, cache: { ttlSeconds: 60 } },
];

let backend: TestBackend;
let gateway: TestGateway;

beforeAll(async () => {
  backend = await startTestBackend('files');
  backend.handle = (request, response) => {
    const size = Number(new URL(request.url, 'http://x').searchParams.get('size') ?? 0);
    const body = Buffer.alloc(size, 'x');
    if (request.url.includes('chunked')) {
      // No Content-Length: three chunks with pauses, as a streaming service sends them.
      response.write('first,');
      setTimeout(() => response.write('second,'), 20);
      setTimeout(() => response.end('third'), 40);
      return;
    }
    response.setHeader('content-length', body.length);
    response.end(body);
  };
  gateway = await startTestGateway({ upstreams: { files: backend.url }, routes });
});

afterAll(async () => {
  await gateway.close();
  await backend.close();
});

describe('answers of every size', () => {
  it('relays a large body, streamed rather than held whole', async () => {
    const response = await fetch(`${gateway.url}/api/files/big?size=3000000`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('3000000');
    expect((await response.arrayBuffer()).byteLength).toBe(3_000_000);
  });

  it('relays a chunked body of unknown length', async () => {
    const response = await fetch(`${gateway.url}/api/files/chunked`);
    expect(await response.text()).toBe('first,second,third');
  });

  it('relays an empty body and HEAD answers', async () => {
    expect(await (await fetch(`${gateway.url}/api/files/empty?size=0`)).text()).toBe('');
    const head = await fetch(`${gateway.url}/api/files/big?size=10`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('10');
  });

  it('relays an answer too large to cache without storing it', async () => {
    for (let index = 0; index < 2; index++) {
      const response = await fetch(`${gateway.url}/api/cached/big?size=2000000`);
      expect(response.headers.get('x-cache')).toBeNull();
      expect((await response.arrayBuffer()).byteLength).toBe(2_000_000);
    }
    expect(backend.received.filter((request) => request.url === '/big?size=2000000')).toHaveLength(2);
  });
});
