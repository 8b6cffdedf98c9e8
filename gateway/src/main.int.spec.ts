import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresDiscovery } from '@talad/discovery';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { startTestBackend, type TestBackend } from './testing/test-backend.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

interface RunningGateway {
  readonly child: ChildProcess;
  readonly url: string;
  readonly lines: Array<Record<string, unknown>>;
  stop(): Promise<number | null>;
}

/** Runs the gateway as `npm start` does, as its own process, and waits until it listens. */
async function runGateway(env: Record<string, string>): Promise<RunningGateway> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(CATALOG|IDENTITY|DISCOVERY|REDIS|BROKER)_URLS?$/.test(name)),
  );
  const child = spawn(process.execPath, [MAIN], {
    env: { ...clean, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const line of complete) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await vi.waitFor(() => expect(lines.some((line) => line['msg'] === 'gateway listening')).toBe(true), {
    timeout: 20_000,
  });
  const url = String(lines.find((line) => line['msg'] === 'gateway listening')?.['address']);
  return {
    child,
    url,
    lines,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

let first: TestBackend;
let second: TestBackend;
let db: TestDatabase;

beforeAll(async () => {
  first = await startTestBackend('first');
  second = await startTestBackend('second');
  db = await createTestDatabase({ prefix: 'gateway_main' });
});

afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
  await db.drop();
});

describe('the gateway process', () => {
  it('takes a list of instances from <NAME>_URLS and writes one access-log line per request', async () => {
    const gateway = await runGateway({ CATALOG_URLS: `${first.url},${second.url}`, IDENTITY_URL: first.url });
    try {
      const served = new Set<string | null>();
      for (let index = 0; index < 6; index++) {
        const answer = await fetch(`${gateway.url}/api/catalog/products?page=${index}`);
        expect(answer.status).toBe(200);
        served.add(answer.headers.get('x-backend'));
      }
      expect(served).toEqual(new Set(['first', 'second']));
      const answer = await fetch(`${gateway.url}/api/identity/.well-known/jwks.json`);
      expect(answer.status).toBe(200);
      const requestId = answer.headers.get('x-request-id');
      await vi.waitFor(() =>
        expect(gateway.lines.filter((line) => line['msg'] === 'request' && line['reqId'] === requestId)).toHaveLength(
          1,
        ),
      );
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  });

  it('finds instances in the PostgreSQL registry named by DISCOVERY_URL, and follows them', async () => {
    const registry = createPostgresDiscovery({ url: db.url });
    const registration = await registry.register({ name: 'catalog', version: '1.0.0', url: second.url });
    const gateway = await runGateway({ DISCOVERY_URL: db.url });
    try {
      const answer = await fetch(`${gateway.url}/api/catalog/products`);
      expect(answer.headers.get('x-backend')).toBe('second');
      await registration.deregister();
      // A new query each time, so no cached answer hides what the gateway does now.
      let attempt = 0;
      await vi.waitFor(async () =>
        expect((await fetch(`${gateway.url}/api/catalog/products?attempt=${++attempt}`)).status).toBe(503),
      );
      // Identity has no instance registered: its routes answer 503 too, and the gateway said so at start.
      expect((await fetch(`${gateway.url}/api/identity/sign-in`, { method: 'POST' })).status).toBe(503);
    } finally {
      await registry.close();
      expect(await gateway.stop()).toBe(0);
    }
  });

  it('refuses to start on a bad registry URL, naming the variable', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, PORT: '0', DISCOVERY_URL: 'consul://somewhere' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(78);
    expect(stderr).toContain('DISCOVERY_URL');
  });
});
