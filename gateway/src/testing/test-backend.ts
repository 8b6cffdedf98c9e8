import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type BackendHandler = (request: ReceivedRequest, response: ServerResponse) => void;

export interface TestBackend {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  /** Every request that reached it, in order. */
  readonly received: ReceivedRequest[];
  /** How it answers; replace it to make the backend fail, stall or send particular headers. */
  handle: BackendHandler;
  /** Stops like a crashed process looks from outside: open connections reset, new ones refused. */
  kill(): Promise<void>;
  /** Listens again on the same port, as a restarted instance would. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** By default: 200 with a small JSON body naming the backend, and an `x-backend` header. */
export const answerOk: (name: string) => BackendHandler = (name) => (request, response) => {
  response.setHeader('content-type', 'application/json');
  response.setHeader('x-backend', name);
  response.end(JSON.stringify({ backend: name, method: request.method, url: request.url }));
};

/** A real HTTP server on 127.0.0.1 standing in for one instance of a service. */
export async function startTestBackend(name: string, port = 0): Promise<TestBackend> {
  const received: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const backend: TestBackend = {
    name,
    url: '',
    port: 0,
    received,
    handle: answerOk(name),
    async kill() {
      const closing = server;
      if (!closing?.listening) return;
      const closed = new Promise((resolve) => closing.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async restart() {
      await listen(backend.port);
    },
    async close() {
      await backend.kill();
    },
  };
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(seen);
      backend.handle(seen, response);
    });
  };
  const listen = async (onPort: number): Promise<number> => {
    const listening = createServer(onRequest);
    server = listening;
    listening.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => listening.listen(onPort, '127.0.0.1', resolve));
    return (listening.address() as AddressInfo).port;
  };
  const bound = await listen(port);
  Object.assign(backend, { url: `http://127.0.0.1:${bound}`, port: bound });
  return backend;
}
