import { createServer, type AddressInfo, type Server } from 'node:net';

/**
 * Whether nothing listens on the port yet. Checked before starting anything, because a service that
 * cannot bind its port only says so deep in its own log.
 */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * `count` ports nothing listens on, none of them in `avoid`. All are held open until every one is
 * found, so the system never hands out the same port twice; another program could still take one
 * before its service binds it, which the service's start then reports.
 */
export async function freePorts(count: number, avoid: readonly number[] = [], host = '127.0.0.1'): Promise<number[]> {
  const held: Server[] = [];
  const ports: number[] = [];
  try {
    while (ports.length < count) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: 0, host, exclusive: true }, resolve);
      });
      held.push(server);
      const { port } = server.address() as AddressInfo;
      if (!avoid.includes(port)) ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
