/**
 * Serves the built storefront (web/storefront/dist) at `/`: hashed assets cached for a year (a new
 * build has new names), index.html revalidated on every visit, and every other path that is not an
 * API or a file answered with index.html, so the app's own URLs (`/products/…`, `/checkout`) load on
 * a refresh or from a shared link. Pre-compressed `.gz` copies are sent to browsers that accept them.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceApp } from '@talad/service';
import { DEFAULT_CONTENT_SECURITY_POLICY } from './security-headers.ts';

export interface StorefrontOptions {
  /** The built storefront; the monorepo's web/storefront/dist by default. */
  dir?: string;
  /** Where the browser sends card details to be tokenized; written into the page, allowed by the CSP. */
  cardProviderUrl?: string;
}

export const DEFAULT_STOREFRONT_DIR = fileURLToPath(new URL('../../web/storefront/dist', import.meta.url));

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
/** Unhashed files (images, icons): fresh for an hour, then revalidated. */
const SHORT = 'public, max-age=3600';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const CARD_PROVIDER_META = /<meta name="talad-card-provider" content="[^"]*"\s*\/?>/;

/**
 * The default policy with the card provider's origin added to `connect-src`, since the browser sends
 * cards there directly.
 *
 * @example
 * storefrontContentSecurityPolicy('http://127.0.0.1:8201'); // "... connect-src 'self' http://127.0.0.1:8201; ..."
 */
export function storefrontContentSecurityPolicy(cardProviderUrl: string | undefined): string {
  if (!cardProviderUrl) return DEFAULT_CONTENT_SECURITY_POLICY;
  const origin = new URL(cardProviderUrl).origin;
  return DEFAULT_CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self' ${origin}`);
}

export function registerStorefront(app: ServiceApp, options: StorefrontOptions = {}): void {
  const root = resolve(options.dir ?? DEFAULT_STOREFRONT_DIR);
  const page = indexPage(root, options.cardProviderUrl ?? '');

  const serve = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const path = pathOf(request.url);
    // API paths and anything unreadable keep the gateway's own problem+json 404.
    if (path === undefined || path === '/api' || path.startsWith('/api/')) return reply.callNotFound();
    const file = path === '/' ? undefined : resolve(root, `.${path}`);
    if (file !== undefined && file.startsWith(root + sep) && !file.endsWith('index.html')) {
      const found = await fileStat(file);
      if (found) {
        const cache = path.startsWith('/assets/') ? IMMUTABLE : SHORT;
        return sendFile(request, reply, file, found, cache);
      }
    }
    // A missing asset is a 404, never the page: a browser would otherwise run HTML as a script.
    if (extname(path) !== '') return reply.callNotFound();
    const html = await page();
    if (html === undefined) return reply.callNotFound();
    return reply
      .header('cache-control', REVALIDATE)
      .type(CONTENT_TYPES['.html'] ?? 'text/html')
      .send(html);
  };

  app.get('/', { schema: { hide: true } }, serve);
  app.get('/*', { schema: { hide: true } }, serve);
}

function pathOf(url: string): string | undefined {
  try {
    const path = decodeURIComponent(new URL(url, 'http://gateway.invalid').pathname);
    return path.includes('\0') ? undefined : path;
  } catch {
    return undefined;
  }
}

async function fileStat(file: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const found = await stat(file);
    return found.isFile() ? found : undefined;
  } catch {
    return undefined;
  }
}

async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: string,
  found: { size: number; mtimeMs: number },
  cacheControl: string,
): Promise<unknown> {
  const etag = `W/"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}"`;
  reply
    .header('cache-control', cacheControl)
    .header('etag', etag)
    .type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  const accepts = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  const gzipped = accepts ? await fileStat(`${file}.gz`) : undefined;
  reply.header('vary', 'accept-encoding');
  if (gzipped) {
    return reply
      .header('content-encoding', 'gzip')
      .header('content-length', gzipped.size)
      .send(createReadStream(`${file}.gz`));
  }
  return reply.header('content-length', found.size).send(createReadStream(file));
}

/**
 * index.html with the card provider's address in it; read again only when a new build replaced it,
 * so `vite build` while the gateway runs is picked up.
 */
function indexPage(root: string, cardProviderUrl: string): () => Promise<string | undefined> {
  const file = resolve(root, 'index.html');
  let cached: { mtimeMs: number; html: string } | undefined;
  const meta = `<meta name="talad-card-provider" content="${escapeAttribute(cardProviderUrl)}" />`;
  return async () => {
    const found = await fileStat(file);
    if (!found) return undefined;
    if (cached?.mtimeMs !== found.mtimeMs) {
      cached = { mtimeMs: found.mtimeMs, html: (await readFile(file, 'utf8')).replace(CARD_PROVIDER_META, meta) };
    }
    return cached.html;
  };
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
