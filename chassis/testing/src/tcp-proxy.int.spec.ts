import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import { testServerUrl } from './database.ts';

let proxy: TcpProxy | undefined;
afterAll(() => proxy?.close());

describe('TCP proxy', () => {
  it('carries a real PostgreSQL connection, cuts it, and lets new ones through once restored', async () => {
    const server = new URL(testServerUrl);
    proxy = await startTcpProxy({ targetHost: server.hostname, targetPort: Number(server.port || 5432) });
    const through = new URL(testServerUrl);
    through.port = String(proxy.port);

    const client = new pg.Client({ connectionString: through.toString() });
    client.on('error', () => undefined);
    await client.connect();
    expect((await client.query<{ answer: number }>('SELECT 42 AS answer')).rows[0]?.answer).toBe(42);
    expect(proxy.openConnections).toBe(1);

    proxy.cut();
    await expect(client.query('SELECT 1')).rejects.toThrow();
    const refused = new pg.Client({ connectionString: through.toString(), connectionTimeoutMillis: 1_000 });
    await expect(refused.connect()).rejects.toThrow();

    proxy.restore();
    const again = new pg.Client({ connectionString: through.toString() });
    await again.connect();
    expect((await again.query<{ answer: number }>('SELECT 7 AS answer')).rows[0]?.answer).toBe(7);
    await again.end();
  });
});
