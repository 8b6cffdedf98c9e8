import { createServer } from 'node:net';

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
