import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeDataDir, projectRoot, removeDataDir, startSystem, type RunningSystem } from '../support/system.ts';

interface Product {
  id: string;
  sku: string;
  name: string;
  price: { amount: number; currency: string };
}

// Its own ports, so it never collides with a running shop or another whole-system test.
const PORT_OFFSET = 1_700;
let dataDir: string;
let system: RunningSystem | undefined;

beforeAll(async () => {
  dataDir = await makeDataDir('talad-admin-e2e-');
  system = await startSystem({ dataDir, portOffset: PORT_OFFSET });
});

afterAll(async () => {
  if (system?.process.exitCode === null) await system.stop('SIGTERM');
  await removeDataDir(dataDir);
});

/** `npm run talad -- admin …` as its own process, the way an operator runs it. */
function talad(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['tools/talad/src/main.ts', 'admin', ...args, '--data-dir', dataDir],
      { cwd: projectRoot, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function get(path: string): Promise<{ cache: string | null; body: unknown }> {
  const response = await fetch(`${system!.gatewayUrl}${path}`);
  expect(response.status).toBe(200);
  return { cache: response.headers.get('x-cache'), body: await response.json() };
}

async function pocaShoe(): Promise<Product> {
  const { body } = await get('/api/catalog/products?q=poca%20shoe%20nmd');
  const found = (body as { items: Product[] }).items.find((item) => item.name === 'POCA SHOE NMD Sneakers');
  expect(found).toBeDefined();
  return found!;
}

describe('talad admin products, against the running system', () => {
  it('lists products as a table, and as JSON for scripts', async () => {
    const table = await talad('products', 'list', '--query', 'poca shoe nmd');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+SKU\s+NAME\s+PRICE \(THB\)\s+CATEGORY/);
    expect(table.stdout).toMatch(/POCA SHOE NMD Sneakers\s+399\.00/);
    expect(table.stdout).toMatch(/page 1 of \d+, \d+ products/);

    const json = await talad('products', 'list', '--page', '2', '--json');
    expect(json.code).toBe(0);
    const page = JSON.parse(json.stdout) as { page: number; items: Product[] };
    expect(page.page).toBe(2);
    expect(page.items.length).toBeGreaterThan(0);
  });

  it('changes a price by sku, and the gateway serves the new price at once, not after its cache TTL', async () => {
    const shoe = await pocaShoe();
    const page = `/api/catalog/products/${shoe.id}`;
    const search = '/api/catalog/products?q=poca%20shoe%20nmd';
    await get(page);
    expect(await get(page)).toMatchObject({ cache: 'hit', body: { price: { amount: 39_900 } } });
    expect((await get(search)).cache).toBe('hit');

    const changed = await talad('products', 'set-price', shoe.sku, '1,290.50');
    expect(changed.stderr).toBe('');
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain(`${shoe.sku} POCA SHOE NMD Sneakers: price 399.00 → 1,290.50 THB`);

    // The cache holds answers for 30 s; the product event empties it within moments.
    const fresh = await vi.waitFor(
      async () => {
        const answer = await get(page);
        expect(answer.body).toMatchObject({ price: { amount: 129_050 } });
        return answer;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(fresh.cache).toBe('miss');
    const listed = (await get(search)).body as { items: Product[] };
    expect(listed.items.find((item) => item.id === shoe.id)?.price.amount).toBe(129_050);

    const shown = await talad('products', 'show', shoe.id, '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: shoe.id, price: { amount: 129_050 } });
  });

  it('creates a product from a file and deletes it', async () => {
    const file = join(dataDir, 'product.json');
    const sku = `ADM-${Date.now().toString(36).toUpperCase()}`;
    await writeFile(
      file,
      JSON.stringify({
        sku,
        name: 'Admin Test Runner',
        brand: 'Talad',
        category: 'Sneakers',
        price: { amount: 159_000, currency: 'THB' },
      }),
    );
    const created = await talad('products', 'create', '--file', file, '--json');
    expect(created.code).toBe(0);
    const product = JSON.parse(created.stdout) as Product;
    expect(product).toMatchObject({ sku, price: { amount: 159_000 } });
    expect((await get(`/api/catalog/products/${product.id}`)).body).toMatchObject({ sku });

    const deleted = await talad('products', 'delete', sku);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain(`deleted ${sku}`);
    // Its cached page goes with the deletion's event.
    await vi.waitFor(
      async () => expect((await fetch(`${system!.gatewayUrl}/api/catalog/products/${product.id}`)).status).toBe(404),
      { timeout: 10_000, interval: 50 },
    );
  });

  it("shows the API's problem title and detail, with a non-zero exit, when a change is refused", async () => {
    const shoe = await pocaShoe();
    const refused = await talad('products', 'set-price', shoe.id, '0');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/talad admin: .*price\.amount.*\(\w+\)/);

    const missing = await talad('products', 'show', 'NO-SUCH-SKU');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no product with sku NO-SUCH-SKU');

    const usage = await talad('products', 'set-price', shoe.id, 'cheap');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("'cheap' is not an amount of baht");
  });
});
