import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { BodyTooLargeError } from './upstream-failure.ts';

/** Whether the request carries a body worth sending upstream (GET and HEAD bodies are dropped). */
export function hasBody(request: FastifyRequest): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false;
  const length = request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return request.headers['transfer-encoding'] !== undefined;
}

/** The declared Content-Length when it is over `limit`: such a request is refused before a byte is read. */
export function declaresTooMuch(request: FastifyRequest, limit: number): boolean {
  const length = request.headers['content-length'];
  return length !== undefined && Number(length) > limit;
}

/** The body as it arrives; Fastify hands it over unparsed (see the proxy's content type parser). */
export function bodyStream(request: FastifyRequest): Readable {
  return (request.body as Readable | undefined) ?? request.raw;
}

/**
 * Streams the body upstream, counting: past `limit` bytes it throws, which aborts the upload. This is what
 * holds the limit for chunked bodies, whose size nobody declared.
 */
export async function* limitedBody(source: Readable, limit: number): AsyncIterable<Buffer> {
  let seen = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > limit) throw new BodyTooLargeError(limit);
    yield chunk;
  }
}

/** Reads the whole body (so it can be sent again on a retry), refusing past `limit` bytes. */
export async function readBody(source: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of limitedBody(source, limit)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
