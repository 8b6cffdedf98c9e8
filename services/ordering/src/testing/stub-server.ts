import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for another service's HTTP API in ordering's tests (catalog's snapshot, shipping's rates,
 * payment's card tokens): a real server on 127.0.0.1 that can be closed to make the service unreachable.
 */
export interface StubServer {
  readonly url: string;
  /** Requests received, as `METHOD /path?query`. */
  readonly requests: string[];
  close(): Promise<void>;
}

export type StubHandler = (url: URL, headers: IncomingMessage['headers']) => { status: number; body?: unknown };

export async function startStubServer(handle: StubHandler): Promise<StubServer> {
  const requests: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://stub');
    requests.push(`${request.method ?? 'GET'} ${url.pathname}${url.search}`);
    const { status, body } = handle(url, request.headers);
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(body === undefined ? '' : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
