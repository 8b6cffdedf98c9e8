import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Balancing } from './load-balancer.ts';
import type { GatewayRoute } from './route-table.ts';
import { answerOk, startTestBackend, type TestBackend } from './testing/test-backend.ts';
import { startTestGateway, type TestGateway } from './testing/test-gateway.ts';

const routes: GatewayRoute[] = [{ prefix: '/api/catalog', upstream: 'catalog', access: 'public', deadlineMs: 5_000 }];

let backends: TestBackend[];
let gateway: TestGateway | undefined;

beforeEach(async () => {
  backends = [await startTestBackend('first'), await startTestBackend('second')];
});

afterEach(async () => {
  await gateway?.close();
  await Promise.all(backends.map((backend) => backend.close()));
});

async function start(balancing: Balancing): Promise<TestGateway> {
  gateway = await startTestGateway({
    upstreams: { catalog: backends.map((backend) => backend.url) },
    upstreamPolicies: { catalog: { balancing } },
    routes,
  });
  return gateway;
}

async function servedBy(url: string, count: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let index = 0; index < count; index++) {
    const answer = await fetch(`${url}/api/catalog/products`);
    expect(answer.status).toBe(200);
    const backend = answer.headers.get('x-backend') ?? 'none';
    counts[backend] = (counts[backend] ?? 0) + 1;
  }
  return counts;
}

describe('load balancing', () => {
  it('round robin spreads requests evenly over both instances', async () => {
    const { url } = await start('round-robin');
    expect(await servedBy(url, 20)).toEqual({ first: 10, second: 10 });
  });

  it('least-outstanding sends new requests to the idle instance while the other is busy', async () => {
    const { url } = await start('least-outstanding');
    const held: ServerResponse[] = [];
    for (const backend of backends) {
      backend.handle = (request, response) => {
        if (request.url === '/hold') held.push(response);
        else answerOk(backend.name)(request, response);
      };
    }
    const slow = fetch(`${url}/api/catalog/hold`);
    await vi.waitFor(() => expect(held).toHaveLength(1));
    const busy = backends.find((backend) => backend.received.some((request) => request.url === '/hold'))!;
    const idle = backends.find((backend) => backend !== busy)!;
    expect(await servedBy(url, 6)).toEqual({ [idle.name]: 6 });
    held[0]!.end('released');
    expect((await slow).status).toBe(200);
    // Both idle again: ties go round robin.
    expect(Object.keys(await servedBy(url, 4)).sort()).toEqual(['first', 'second']);
  });

  it('ejects a killed instance, moves its load to the survivor, and takes it back when it returns', async () => {
    const { url } = await start('round-robin');
    const [survivor, victim] = backends as [TestBackend, TestBackend];
    expect(await servedBy(url, 4)).toEqual({ first: 2, second: 2 });
    await victim.kill();
    // From the kill until its first failed attempt, requests sent to the victim fail over (GETs are retried):
    // none of these may fail, and after the ejection the victim gets no traffic at all.
    expect(await servedBy(url, 10)).toEqual({ [survivor.name]: 10 });
    expect(await gateway!.metric('gateway_instance_ejections_total', { upstream: 'catalog' })).toBe(1);
    expect(await gateway!.metric('gateway_upstream_instances', { upstream: 'catalog', health: 'ejected' })).toBe(1);

    await victim.restart();
    // A readiness probe after the back-off (1 s) brings it back.
    await vi.waitFor(
      async () =>
        expect(await gateway!.metric('gateway_upstream_instances', { upstream: 'catalog', health: 'healthy' })).toBe(2),
      {
        timeout: 5_000,
        interval: 100,
      },
    );
    expect(victim.received.at(-1)?.url).toBe('/health/ready');
    expect(await servedBy(url, 4)).toEqual({ first: 2, second: 2 });
  });
});
