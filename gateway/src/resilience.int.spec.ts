import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresDiscovery, type Discovery } from '@talad/discovery';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import type { GatewayRoute } from './route-table.ts';
import { startTestGateway, type TestGateway } from './testing/test-gateway.ts';

const TTL_MS = 1_500;
const WORKERS = 8;
const routes: GatewayRoute[] = [{ prefix: '/api/catalog', upstream: 'catalog', access: 'public', deadlineMs: 2_000 }];

let db: TestDatabase;
let discovery: Discovery;
let gateway: TestGateway;
const children: ChildProcess[] = [];

/** Starts one backend process and waits until it has registered. */
async function startBackend(instance: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./testing/backend-process.ts', import.meta.url))], {
    env: { ...process.env, REGISTRY_URL: db.url, SERVICE: 'catalog', INSTANCE: instance, TTL_MS: String(TTL_MS) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`backend ${instance} exited with ${code}`)));
  });
  return { child, url: (JSON.parse(line) as { url: string }).url };
}

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'gateway_resilience' });
  discovery = createPostgresDiscovery({ url: db.url, pollIntervalMs: 1_000 });
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await gateway.close();
  await discovery.close();
  await db.drop();
});

const instancesKnown = async (): Promise<number> =>
  ((await gateway.metric('gateway_upstream_instances', { upstream: 'catalog', health: 'healthy' })) ?? 0) +
  ((await gateway.metric('gateway_upstream_instances', { upstream: 'catalog', health: 'ejected' })) ?? 0);

describe('an instance killed under load', () => {
  it('fails no idempotent request, and its load moves to the survivor', async () => {
    const survivor = await startBackend('survivor');
    const victim = await startBackend('victim');
    gateway = await startTestGateway({ discovery, routes });
    await vi.waitFor(async () => expect(await instancesKnown()).toBe(2), { timeout: 10_000 });

    const answers: Array<{ status: number; backend: string | null; afterKill: boolean }> = [];
    let killed = false;
    let stop = false;
    const worker = async (): Promise<void> => {
      while (!stop) {
        const afterKill = killed;
        try {
          const answer = await fetch(`${gateway.url}/api/catalog/products`);
          await answer.arrayBuffer();
          answers.push({ status: answer.status, backend: answer.headers.get('x-backend'), afterKill });
        } catch {
          answers.push({ status: 0, backend: null, afterKill });
        }
      }
    };
    const load = Array.from({ length: WORKERS }, worker);
    const stopAt = Date.now() + 15_000; // the load stops by itself, whatever happens
    const stopper = setInterval(() => (stop ||= Date.now() > stopAt), 100);

    await vi.waitFor(() => expect(answers.filter((answer) => answer.backend === 'victim').length).toBeGreaterThan(20), {
      timeout: 10_000,
    });
    victim.child.kill('SIGKILL');
    killed = true;
    // The window: the gateway ejects the victim at its first failed connection and retries that request on the
    // survivor; the registry drops it when its heartbeats have been missing for the TTL (1.5 s).
    await vi.waitFor(async () => expect(await instancesKnown()).toBe(1), { timeout: 10_000, interval: 100 });
    const sentAfterDrop = answers.length;
    await vi.waitFor(() => expect(answers.length).toBeGreaterThan(sentAfterDrop + 200), { timeout: 10_000 });
    stop = true;
    clearInterval(stopper);
    await Promise.all(load);

    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(answers.filter((answer) => !answer.afterKill && answer.backend === 'survivor').length).toBeGreaterThan(0);
    const late = answers.slice(sentAfterDrop);
    expect(late.every((answer) => answer.backend === 'survivor')).toBe(true);
    expect(await gateway.metric('gateway_instance_ejections_total', { upstream: 'catalog' })).toBe(1);
    expect(survivor.url).not.toBe(victim.url);
  });
});
