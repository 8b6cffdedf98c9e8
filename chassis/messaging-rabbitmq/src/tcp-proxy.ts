import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy in front of the broker, for tests that cut the network and bring it back. */
export interface TcpProxy {
  /** `amqp://…` through the proxy, with the credentials and vhost of the target URL. */
  readonly url: string;
  /** Drops every connection and refuses new ones, as a cut cable would. */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * @example
 * const proxy = await startTcpProxy(rabbitMqUrl);
 * const transport = createRabbitMqTransport({ url: proxy.url });
 * await proxy.cut(); // ...the broker is unreachable...
 * await proxy.restore();
 */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const listen = async (): Promise<void> => {
    const listening = createServer((client) => {
      const upstream = connect(Number(target.port || 5672), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', () => resolve());
    });
    const address = listening.address();
    if (address && typeof address === 'object') port = address.port;
    server = listening;
  };

  const cut = async (): Promise<void> => {
    const stopping = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (stopping) await new Promise<void>((resolve) => stopping.close(() => resolve()));
  };

  await listen();
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return { url: url.toString(), cut, restore: listen, close: cut };
}
