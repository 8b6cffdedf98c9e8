import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const NOT_STORABLE = /(?:^|,)\s*(?:no-store|private|no-cache)\s*(?:,|=|$)/i;

/**
 * Whether an upstream answer may be kept for everyone who asks the same: a success, not marked
 * no-store, private or no-cache, setting no cookie, and not varying on everything.
 */
export function isStorable(status: number, headers: Headers): boolean {
  if (status < 200 || status >= 300 || status === 206) return false;
  const cacheControl = headers['cache-control'];
  if (cacheControl !== undefined && NOT_STORABLE.test(String(cacheControl))) return false;
  if (headers['set-cookie'] !== undefined) return false;
  return varyOf(headers) !== undefined;
}

const SHAREABLE_DESPITE_AUTHORIZATION = /(?:^|,)\s*(?:public|s-maxage|must-revalidate)\s*(?:,|=|$)/i;

/**
 * RFC 9111 §3.5: an answer to a request that carried Authorization goes into a shared cache only when the
 * upstream says it may (`public`, `s-maxage` or `must-revalidate`); otherwise it may be that caller's own.
 */
export function isShareableDespiteAuthorization(headers: Headers): boolean {
  const cacheControl = headers['cache-control'];
  return cacheControl !== undefined && SHAREABLE_DESPITE_AUTHORIZATION.test(String(cacheControl));
}

/** The request headers an answer varies on, lower-cased; undefined for `Vary: *` (never the same twice). */
export function varyOf(headers: Headers): string[] | undefined {
  const vary = headers['vary'];
  if (vary === undefined) return [];
  const names = String(vary)
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  return names.includes('*') ? undefined : names;
}

/** Whether a request asks for the same variant an entry was fetched for. */
export function sameVariant(vary: readonly (readonly [string, string])[], request: IncomingHttpHeaders): boolean {
  for (const [name, value] of vary) if (String(request[name] ?? '') !== value) return false;
  return true;
}

/** `If-None-Match` against an ETag, by the weak comparison RFC 9110 §13.1.2 prescribes for it. */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

/** A strong ETag from the body's bytes, for upstreams that send none. */
export function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}
