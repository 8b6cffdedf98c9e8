import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** `127.0.0.1:<port>` of the proxy; point the client here instead of at the real server. */
  readonly host: string;
  readonly port: number;
  /** Drops every open connection at once and refuses new ones, as a network cut would. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  /** Connections currently open through the proxy. */
  readonly openConnections: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy a test controls, to cut a client off from a real server (PostgreSQL, RabbitMQ, NATS) and
 * restore it, without touching the server itself.
 *
 * @example
 * const proxy = await startTcpProxy({ targetHost: '127.0.0.1', targetPort: 5672 });
 * const transport = createRabbitMqTransport({ url: `amqp://guest:guest@127.0.0.1:${proxy.port}` });
 * proxy.cut(); // the broker is now unreachable from the transport
 * proxy.restore();
 */
export async function startTcpProxy(options: { targetHost: string; targetPort: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let accepting = true;
  const server: Server = createServer((client) => {
    if (!accepting) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: options.targetHost, port: options.targetPort });
    sockets.add(client);
    sockets.add(upstream);
    const forget = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const cut = (): void => {
    accepting = false;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    host: '127.0.0.1',
    port,
    cut,
    restore() {
      accepting = true;
    },
    get openConnections() {
      return sockets.size / 2;
    },
    close() {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
