import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdminAction, AdminOptions } from './admin-cli.ts';
import { ApiProblem, signIn, type AdminClient } from './admin-client.ts';
import { formatBaht, productDetails, productTable } from './admin-format.ts';
import { readState, runningTalad, type Secrets } from './data-dir.ts';
import { print, printError } from './output.ts';

export interface AdminProduct {
  id: string;
  sku: string;
  name: string;
  brand: string;
  category: string;
  price: { amount: number; currency: string };
  sizes: string[];
  description: string;
  updatedAt: string;
}

interface SearchPage {
  items: AdminProduct[];
  page: number;
  pageSize: number;
  total: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PRODUCTS = '/api/catalog/products';

/**
 * `talad admin products …`: product administration of the running system, through its gateway, as the
 * talad-admin machine client. Exit code 0 done, 1 the API refused (its problem is printed), 3 not running.
 */
export async function admin(options: AdminOptions): Promise<number> {
  const gatewayUrl = await runningGateway(options.dataDir);
  if (gatewayUrl === undefined) {
    printError(`Talad is not running on ${options.dataDir}; start it with \`npm start\` first.`);
    return 3;
  }
  const secrets = JSON.parse(await readFile(join(options.dataDir, 'secrets.json'), 'utf8')) as Partial<Secrets>;
  const clientSecret = secrets.services?.['identity']?.['ADMIN_CLIENT_SECRET'];
  if (!clientSecret) {
    printError(`no talad-admin client secret in ${join(options.dataDir, 'secrets.json')}`);
    return 1;
  }
  try {
    const client = await signIn(gatewayUrl, { clientId: 'talad-admin', clientSecret });
    const answer = await run(client, options.action);
    if (options.json) print(JSON.stringify(answer.json ?? null, null, 2));
    else print(answer.text);
    return 0;
  } catch (error) {
    if (!(error instanceof ApiProblem)) throw error;
    printError(`talad admin: ${error.message}${error.code ? ` (${error.code})` : ''}`);
    return 1;
  }
}

async function run(client: AdminClient, action: AdminAction): Promise<{ json: unknown; text: string }> {
  switch (action.kind) {
    case 'list': {
      const query = new URLSearchParams({ page: String(action.page) });
      if (action.query) query.set('q', action.query);
      const page = (await client.call('GET', `${PRODUCTS}?${query.toString()}`)) as SearchPage;
      const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
      return { json: page, text: `${productTable(page.items)}\npage ${page.page} of ${pages}, ${page.total} products` };
    }
    case 'show': {
      const product = await find(client, action.product);
      return { json: product, text: productDetails(product) };
    }
    case 'set-price': {
      const before = await find(client, action.product);
      const after = (await client.call('PATCH', `${PRODUCTS}/${before.id}`, {
        price: { amount: action.satang, currency: before.price.currency },
      })) as AdminProduct;
      const change = `${formatBaht(before.price.amount)} → ${formatBaht(after.price.amount)} THB`;
      return { json: after, text: `${after.sku} ${after.name}: price ${change}` };
    }
    case 'create': {
      const draft = await readDraft(action.file);
      const product = (await client.call('POST', PRODUCTS, draft)) as AdminProduct;
      return { json: product, text: `created\n${productDetails(product)}` };
    }
    case 'delete': {
      const product = await find(client, action.product);
      await client.call('DELETE', `${PRODUCTS}/${product.id}`);
      return { json: { deleted: product.id, sku: product.sku }, text: `deleted ${product.sku} (${product.id})` };
    }
  }
}

/**
 * A product by id, or by sku. Catalog looks products up by id only, so a sku is found by going through
 * catalog's product snapshot (every product in id order, 1,000 a page): a dozen requests for the seed.
 */
async function find(client: AdminClient, idOrSku: string): Promise<AdminProduct> {
  if (UUID.test(idOrSku)) return (await client.call('GET', `${PRODUCTS}/${idOrSku}`)) as AdminProduct;
  const sku = idOrSku.toUpperCase();
  let after: string | null = null;
  do {
    const page = (await client.call('GET', `${PRODUCTS}/snapshot?limit=1000${after ? `&after=${after}` : ''}`)) as {
      items: AdminProduct[];
      next: string | null;
    };
    const found = page.items.find((product) => product.sku === sku);
    if (found) return found;
    after = page.next;
  } while (after);
  throw new ApiProblem(404, 'Not Found', `no product with sku ${idOrSku}`, 'CATALOG_PRODUCT_NOT_FOUND');
}

async function readDraft(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ApiProblem(0, `cannot read ${file}`, (error as Error).message, undefined);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiProblem(0, `${file} is not JSON`, (error as Error).message, undefined);
  }
}

/** The gateway of the system `talad up` runs on this data dir, if it runs. */
async function runningGateway(dataDir: string): Promise<string | undefined> {
  if (runningTalad(dataDir) === undefined) return undefined;
  const gateway = (await readState(dataDir)).run?.services.find((service) => service.name === 'gateway');
  return gateway ? `http://127.0.0.1:${gateway.port}` : undefined;
}
