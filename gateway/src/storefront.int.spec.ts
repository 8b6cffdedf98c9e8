import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '@talad/service';
import { buildGatewayApp } from './app.ts';
import { storefrontContentSecurityPolicy } from './storefront.ts';

let dir: string;
let app: ServiceApp;
const script = 'console.log("shop")';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talad-storefront-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(
    join(dir, 'index.html'),
    '<html><head><meta name="talad-card-provider" content="" /></head><body>shop</body></html>',
  );
  await writeFile(join(dir, 'assets', 'index-abc123.js'), script);
  await writeFile(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync(script));
  app = await buildGatewayApp({
    routes: [],
    storefront: { dir, cardProviderUrl: 'http://127.0.0.1:8201' },
    security: { contentSecurityPolicy: storefrontContentSecurityPolicy('http://127.0.0.1:8201/') },
  });
});

afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the storefront served by the gateway', () => {
  it('answers the page, revalidated on every visit, with the card provider written in', async () => {
    const page = await app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<meta name="talad-card-provider" content="http://127.0.0.1:8201" />');
    expect(page.headers['content-security-policy']).toContain("connect-src 'self' http://127.0.0.1:8201;");
  });

  it("answers the app's own paths with the page, so a refresh or a shared link works", async () => {
    for (const url of ['/checkout', '/products/0199a8e4-0000-7000-8000-000000000001', '/?q=nmd']) {
      const answer = await app.inject({ url });
      expect(answer.statusCode, url).toBe(200);
      expect(answer.body, url).toContain('shop');
    }
  });

  it('caches hashed assets for a year and sends the gzipped copy to browsers that take it', async () => {
    const plain = await app.inject({ url: '/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toContain('text/javascript');
    expect(plain.body).toBe(script);
    const gzipped = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.rawPayload.equals(gzipSync(script))).toBe(true);
  });

  it('keeps problem+json 404s for unknown API paths, missing assets and paths outside the build', async () => {
    for (const url of ['/api/nothing-here', '/assets/missing.js', '/%2e%2e/%2e%2e/etc/passwd.txt']) {
      const answer = await app.inject({ url });
      expect(answer.statusCode, url).toBe(404);
      expect(answer.headers['content-type'], url).toContain('application/problem+json');
    }
  });
});
