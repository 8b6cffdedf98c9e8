import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, removeDataDir, startSystem, type RunningSystem } from '../support/system.ts';
import { commandLineOf } from '../support/process-tree.ts';

interface SearchResult {
  items: Array<{ id: string; name: string; brand: string; category: string; price: { amount: number } }>;
  total: number;
}

// Ports shifted so this test never collides with a shop started by `npm start` on the same machine.
const PORT_OFFSET = 1_000;
let dataDir: string;
let system: RunningSystem | undefined;

beforeAll(async () => {
  dataDir = await makeDataDir('talad-e2e-');
});

afterAll(async () => {
  if (system?.process.exitCode === null) await system.stop('SIGTERM');
  await removeDataDir(dataDir);
});

describe('npm start, from an empty data directory', () => {
  it('brings the shop up: searching through the gateway finds Adidas NMD products first', async () => {
    system = await startSystem({ dataDir, portOffset: PORT_OFFSET });
    const response = await fetch(`${system.gatewayUrl}/api/catalog/products?q=addidas%20nmd`);
    expect(response.status).toBe(200);
    const result = (await response.json()) as SearchResult;
    expect(result.total).toBeGreaterThan(0);
    expect(result.items[0]?.brand).toBe('Adidas');
    expect(result.items[0]?.name).toMatch(/NMD/);
  });

  it('gets one product by id through the gateway', async () => {
    const search = (await (
      await fetch(`${system!.gatewayUrl}/api/catalog/products?q=poca%20shoe%20nmd`)
    ).json()) as SearchResult;
    const poca = search.items.find((item) => item.name === 'POCA SHOE NMD Sneakers');
    expect(poca?.price.amount).toBe(39_900);
    const response = await fetch(`${system!.gatewayUrl}/api/catalog/products/${poca!.id}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe(poca!.id);
  });

  it('answers bad input with 4xx problem+json, never 500', async () => {
    const tooBig = await fetch(`${system!.gatewayUrl}/api/catalog/products?pageSize=100000`);
    expect(tooBig.status).toBe(400);
    expect(tooBig.headers.get('content-type')).toContain('application/problem+json');
    expect(((await tooBig.json()) as { errors: Array<{ name: string }> }).errors[0]?.name).toBe('pageSize');
    expect((await fetch(`${system!.gatewayUrl}/api/catalog/products/not-an-id`)).status).toBe(400);
    expect(
      (await fetch(`${system!.gatewayUrl}/api/catalog/products/0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e`)).status,
    ).toBe(404);
    expect((await fetch(`${system!.gatewayUrl}/api/nowhere`)).status).toBe(404);
  });

  it('stops everything on Ctrl-C and leaves no process behind', async () => {
    const running = system!.processes();
    expect(running.map(commandLineOf).join('\n')).toMatch(/postgres/);
    expect(running.map(commandLineOf).join('\n')).toMatch(/services\/catalog\/src\/main\.ts/);
    const { exitCode, survivors } = await system!.stop('SIGINT');
    expect(exitCode).toBe(0);
    expect(survivors.map(commandLineOf)).toEqual([]);

    // The gateway first (no new work), each service only after those that depend on it, PostgreSQL last.
    const stopped = [...system!.output().matchAll(/✔ (\S+) stopped/g)].map((match) => match[1]);
    const stoppedBefore = (first: string, then: string): boolean => stopped.indexOf(first) < stopped.indexOf(then);
    expect(stopped[0]).toBe('gateway');
    expect(stopped.at(-1)).toBe('postgres');
    for (const dependent of ['basket', 'inventory', 'ordering', 'gateway'])
      expect(stoppedBefore(dependent, 'catalog')).toBe(true);
    expect(stoppedBefore('payment', 'card-provider')).toBe(true);
    expect(stoppedBefore('shipping', 'courier')).toBe(true);
  });

  it('starts again on the same data without seeding, and stops on SIGTERM', async () => {
    system = await startSystem({ dataDir, portOffset: PORT_OFFSET });
    expect(system.output()).not.toMatch(/seeding catalog/);
    const result = (await (await fetch(`${system.gatewayUrl}/api/catalog/products?pageSize=1`)).json()) as SearchResult;
    expect(result.total).toBeGreaterThanOrEqual(10_000);
    const { exitCode, survivors } = await system.stop('SIGTERM');
    expect(exitCode).toBe(0);
    expect(survivors).toEqual([]);
  });
});
