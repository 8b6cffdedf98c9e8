import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDiscovery, type Discovery, type ServiceInstance } from '@talad/discovery';
import { createTestDatabase, type TestDatabase } from '@talad/testing';

/**
 * A service process registering itself in the PostgreSQL registry: listed once it listens, kept alive
 * by heartbeats, out of the registry before it stops accepting, and expired when killed outright.
 */
const fixture = fileURLToPath(new URL('../test-fixtures/echo-service.ts', import.meta.url));
let db: TestDatabase;
let registry: Discovery;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'service_registration_test' });
  registry = createPostgresDiscovery({ url: db.url });
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await registry.close();
  await db.drop();
});

function startEcho(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [fixture], {
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: '0',
      ECHO_GREETING: 'sawasdee',
      DISCOVERY_URL: db.url,
      DISCOVERY_TTL_SECONDS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** Polls until `found` returns something, or fails naming what it waited for. */
async function waitFor<T>(what: string, found: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await found();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const listed = (id: string) => async (): Promise<ServiceInstance | undefined> =>
  (await registry.instances('echo')).find((instance) => instance.id === id);
const gone = (id: string) => async (): Promise<true | undefined> =>
  (await listed(id)()) === undefined ? true : undefined;

describe('runService with DISCOVERY_URL', () => {
  it('registers once listening, heartbeats past the TTL, and deregisters before it stops accepting', async () => {
    const echo = startEcho({
      SERVICE_INSTANCE_ID: 'echo-registered',
      SERVICE_VERSION: '2.3.4',
      // A long pause between leaving the registry and closing, so the test can look in between.
      DISCOVERY_LEAVE_DELAY_MS: '1500',
    });
    const instance = await waitFor('the instance is registered', listed('echo-registered'));
    const port = new URL(instance.url).port;
    expect(instance).toEqual({
      id: 'echo-registered',
      name: 'echo',
      version: '2.3.4',
      url: `http://127.0.0.1:${port}`,
      metadata: { host: expect.any(String), pid: String(echo.child.pid) },
    });
    const greeting = await fetch(`${instance.url}/greet`);
    expect(greeting.headers.get('x-served-by')).toBe('echo-registered');

    // Over two TTLs later it is still there: the heartbeats renew it.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await listed('echo-registered')()).toBeDefined();

    const inFlight = fetch(`${instance.url}/greet`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    echo.child.kill('SIGTERM');
    await waitFor('the instance has left the registry', gone('echo-registered'));
    // Out of the registry, yet a new connection is still accepted and served: the order is leave, then close.
    const afterLeaving = await fetch(`${instance.url}/health/live`, { headers: { connection: 'close' } });
    expect(afterLeaving.status).toBe(200);
    const readiness = await fetch(`${instance.url}/health/ready`, { headers: { connection: 'close' } });
    expect(readiness.status).toBe(503);
    expect((await inFlight).status).toBe(200);
    expect(await echo.exit).toBe(0);
    await expect(fetch(`${instance.url}/health/live`)).rejects.toThrow();

    const messages = echo
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages.indexOf('registered')).toBeLessThan(messages.indexOf('shutting down'));
    expect(messages.indexOf('deregistered')).toBeGreaterThan(messages.indexOf('shutting down'));
    expect(messages.indexOf('deregistered')).toBeLessThan(messages.indexOf('stopped'));
  });

  it('expires an instance killed with SIGKILL once its heartbeats stop', async () => {
    const echo = startEcho({ SERVICE_INSTANCE_ID: 'echo-killed' });
    await waitFor('the instance is registered', listed('echo-killed'));
    echo.child.kill('SIGKILL');
    await echo.exit;
    await waitFor('the killed instance has expired', gone('echo-killed'));
    // It expired rather than deregistered: its row is still there, past its expiry.
    const { rows } = await db.pool.query<{ expired: boolean }>(
      'SELECT expires_at <= now() AS expired FROM discovery_instances WHERE id = $1',
      ['echo-killed'],
    );
    expect(rows).toEqual([{ expired: true }]);
  });

  it('exits with 78 naming DISCOVERY_URL when it names no registry it knows', async () => {
    const echo = startEcho({ DISCOVERY_URL: 'mysql://127.0.0.1/registry' });
    expect(await echo.exit).toBe(78);
    expect(echo.output()).toMatch(/DISCOVERY_URL: expected postgres/);
  });
});
