import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultBreakerSettings } from './circuit-breaker.ts';
import type { GatewayRoute } from './route-table.ts';
import { answerOk, startTestBackend, type TestBackend } from './testing/test-backend.ts';
import { startTestGateway, type TestGateway } from './testing/test-gateway.ts';

const routes: GatewayRoute[] = [{ prefix: '/api/catalog', upstream: 'catalog', access: 'public', deadlineMs: 2_000 }];

let backend: TestBackend;
let gateway: TestGateway;

beforeAll(async () => {
  backend = await startTestBackend('catalog');
  gateway = await startTestGateway({
    upstreams: { catalog: backend.url },
    routes,
    resilience: { breaker: { ...defaultBreakerSettings, consecutiveFailures: 3, coolDownMs: 300 } },
  });
});

afterAll(async () => {
  await gateway.close();
  await backend.close();
});

function failing(): void {
  backend.handle = (_request, response) => {
    response.statusCode = 500;
    response.end('boom');
  };
}

const state = (): Promise<number | undefined> => gateway.metric('gateway_circuit_state', { upstream: 'catalog' });
const get = (): Promise<Response> => fetch(`${gateway.url}/api/catalog/products`);

describe('circuit breaker', () => {
  it('opens on repeated failures and then answers 503 at once, naming the service', async () => {
    expect(await state()).toBe(0);
    failing();
    for (let index = 0; index < 3; index++) expect((await get()).status).toBe(500);
    const reached = backend.received.length;
    const fast = await get();
    expect(fast.status).toBe(503);
    expect(fast.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(fast.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await fast.json()) as { code: string; service: string; detail: string };
    expect(body).toMatchObject({ code: 'GATEWAY_CIRCUIT_OPEN', service: 'catalog' });
    expect(body.detail).toContain('catalog');
    expect(backend.received.length).toBe(reached);
    expect(await state()).toBe(1);
  });

  it('after the cool-down lets one probe through, and opens again when it fails', async () => {
    const before = backend.received.length;
    await vi.waitFor(async () => expect((await get()).status).toBe(500), { interval: 100 });
    expect(backend.received.length).toBe(before + 1);
    expect((await get()).status).toBe(503);
    expect(await state()).toBe(1);
  });

  it('closes once a probe succeeds after the upstream recovered', async () => {
    backend.handle = answerOk('catalog');
    await vi.waitFor(async () => expect((await get()).status).toBe(200), { interval: 100 });
    expect(await state()).toBe(0);
    expect((await get()).status).toBe(200);
    const transitions = (from: string, to: string) =>
      gateway.metric('gateway_circuit_transitions_total', { upstream: 'catalog', from, to });
    expect(await transitions('closed', 'open')).toBe(1);
    expect(await transitions('open', 'half-open')).toBe(2);
    expect(await transitions('half-open', 'open')).toBe(1);
    expect(await transitions('half-open', 'closed')).toBe(1);
  });
});
