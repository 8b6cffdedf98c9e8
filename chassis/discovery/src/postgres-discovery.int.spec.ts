import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import type { ServiceInstance } from './instance.ts';
import { createPostgresDiscovery } from './postgres-discovery.ts';

let db: TestDatabase;
const opened: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'discovery_test' });
});

afterAll(async () => {
  for (const discovery of opened) await discovery.close();
  await db.drop();
});

/** A registry client; a long backstop poll, so whatever a watcher sees promptly came by NOTIFY or expiry. */
function registry(options: { ttlMs?: number; heartbeatIntervalMs?: number } = {}) {
  const discovery = createPostgresDiscovery({ url: db.url, pollIntervalMs: 60_000, ...options });
  opened.push(discovery);
  return discovery;
}

function follow(discovery: ReturnType<typeof registry>, name: string) {
  const seen: string[][] = [];
  const watch = discovery.watch(name, (instances) => seen.push(instances.map((instance) => instance.url)));
  return { watch, seen, urls: () => watch.current.map((instance: ServiceInstance) => instance.url) };
}

describe('PostgreSQL registry', () => {
  it('creates its table on first use, once, however many processes start together', async () => {
    const clients = [registry(), registry(), registry()];
    await Promise.all(clients.map((client) => client.instances('nothing')));
    const { rows } = await db.pool.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM pg_tables WHERE tablename = 'discovery_instances'",
    );
    expect(rows[0]?.count).toBe(1);
  });

  it('lists a registered instance with its version and metadata, and forgets it on deregister', async () => {
    const discovery = registry();
    const registration = await discovery.register({
      name: 'catalog',
      version: '1.4.0',
      url: 'http://127.0.0.1:9101',
      metadata: { zone: 'a' },
    });
    expect(await discovery.instances('catalog')).toEqual([
      {
        id: registration.instance.id,
        name: 'catalog',
        version: '1.4.0',
        url: 'http://127.0.0.1:9101',
        metadata: { zone: 'a' },
      },
    ]);
    await registration.deregister();
    expect(await discovery.instances('catalog')).toEqual([]);
  });

  it('tells a watcher in another process of joins and leaves as they happen', async () => {
    const watcher = follow(registry(), 'basket');
    expect(await watcher.watch.ready).toEqual([]);
    const instances = registry();
    const first = await instances.register({ name: 'basket', version: '1', url: 'http://127.0.0.1:9201' });
    await vi.waitFor(() => expect(watcher.urls()).toEqual(['http://127.0.0.1:9201']));
    const second = await instances.register({ name: 'basket', version: '1', url: 'http://127.0.0.1:9202' });
    await vi.waitFor(() => expect(watcher.urls().sort()).toEqual(['http://127.0.0.1:9201', 'http://127.0.0.1:9202']));
    await first.deregister();
    await vi.waitFor(() => expect(watcher.urls()).toEqual(['http://127.0.0.1:9202']));
    await second.deregister();
    await vi.waitFor(() => expect(watcher.urls()).toEqual([]));
    // Each step was one notification: empty, one, two, one, none.
    expect(watcher.seen.map((urls) => urls.length)).toEqual([0, 1, 2, 1, 0]);
  });

  it('keeps a heartbeating instance past its TTL', async () => {
    const discovery = registry({ ttlMs: 600, heartbeatIntervalMs: 150 });
    const registration = await discovery.register({ name: 'ordering', version: '1', url: 'http://127.0.0.1:9301' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await discovery.instances('ordering')).map((instance) => instance.id)).toEqual([registration.instance.id]);
  });

  it('expires an instance whose process died without deregistering, and the watcher sees it leave', async () => {
    const watcher = follow(registry(), 'payment');
    await watcher.watch.ready;
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('../test-fixtures/registered-instance.ts', import.meta.url))],
      {
        env: { ...process.env, REGISTRY_URL: db.url, NAME: 'payment', URL: 'http://127.0.0.1:9401', TTL_MS: '800' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const id = await new Promise<string>((resolve) =>
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
    );
    await vi.waitFor(() => expect(watcher.urls()).toEqual(['http://127.0.0.1:9401']));
    child.kill('SIGKILL');
    await vi.waitFor(() => expect(watcher.urls()).toEqual([]), { timeout: 10_000 });
    // It expired; nobody deleted it.
    const { rows } = await db.pool.query<{ expired: boolean }>(
      'SELECT expires_at <= now() AS expired FROM discovery_instances WHERE id = $1',
      [id],
    );
    expect(rows).toEqual([{ expired: true }]);
  });

  it('brings an expired instance back when its heartbeats resume', async () => {
    const watcher = follow(registry(), 'shipping');
    await watcher.watch.ready;
    const discovery = registry({ ttlMs: 500, heartbeatIntervalMs: 60_000 });
    await discovery.register({ name: 'shipping', version: '1', url: 'http://127.0.0.1:9501', id: 'shipping-1' });
    await vi.waitFor(() => expect(watcher.urls()).toEqual(['http://127.0.0.1:9501']));
    await vi.waitFor(() => expect(watcher.urls()).toEqual([]), { timeout: 10_000 });
    await discovery.register({ name: 'shipping', version: '1', url: 'http://127.0.0.1:9501', id: 'shipping-1' });
    await vi.waitFor(() => expect(watcher.urls()).toEqual(['http://127.0.0.1:9501']));
  });

  it('keeps hearing of changes after its listening connection is killed', async () => {
    const watcher = follow(registry(), 'inventory');
    await watcher.watch.ready;
    await vi.waitFor(async () => {
      const { rows } = await db.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'discovery-listener' AND datname = $1`,
        [db.name],
      );
      expect(rows.length).toBeGreaterThan(0);
    });
    const registration = await registry().register({ name: 'inventory', version: '1', url: 'http://127.0.0.1:9601' });
    await vi.waitFor(() => expect(watcher.urls()).toEqual(['http://127.0.0.1:9601']), { timeout: 10_000 });
    await registration.deregister();
  });

  it('deregisters what it registered when closed', async () => {
    const discovery = createPostgresDiscovery({ url: db.url });
    await discovery.register({ name: 'notification', version: '1', url: 'http://127.0.0.1:9701' });
    await discovery.close();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query("SELECT id FROM discovery_instances WHERE name = 'notification'");
    await client.end();
    expect(rows).toEqual([]);
  });
});
