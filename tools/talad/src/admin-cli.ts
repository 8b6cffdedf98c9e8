import type { ParseArgsOptionsConfig } from 'node:util';

/** `talad admin products …`: what to do, parsed from the command line. */
export type AdminAction =
  | { readonly kind: 'list'; readonly query: string | undefined; readonly page: number }
  | { readonly kind: 'show'; readonly product: string }
  | { readonly kind: 'set-price'; readonly product: string; readonly satang: number }
  | { readonly kind: 'create'; readonly file: string }
  | { readonly kind: 'delete'; readonly product: string };

export interface AdminOptions {
  readonly dataDir: string;
  readonly action: AdminAction;
  /** Print the API's JSON instead of tables, for scripts. */
  readonly json: boolean;
}

export const ADMIN_COMMAND: { summary: string; options: ParseArgsOptionsConfig; usage: string } = {
  summary: 'list and change products as the talad-admin client, through the gateway',
  options: {
    'data-dir': { type: 'string' },
    query: { type: 'string', short: 'q' },
    page: { type: 'string' },
    file: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  usage: `talad admin products list [--query TEXT] [--page N]
       talad admin products show ID|SKU
       talad admin products set-price ID|SKU AMOUNT
       talad admin products create --file product.json
       talad admin products delete ID|SKU

  list       one page of products (24), searched like the shop's search box
  show       one product, by its id or its sku
  set-price  a new price in baht, e.g. 1290 or 1,290.50 (kept as satang)
  create     a product from a JSON file: sku, name, brand, category, price {amount (satang), currency}, …
  delete     remove a product
  --json     print the API's JSON answer, for scripts
  --data-dir DIR  the data dir of the running system (as for talad up)

Signs in with OAuth 2.0 client credentials as talad-admin (its secret is in the data dir's
secrets.json) and calls the gateway of the running system. API errors are printed with their
problem title and detail, and the exit code is 1.`,
};

/** `1290`, `1,290`, `1290.5`, `1290.50` baht → satang, without floating point. */
export function parseBaht(text: string): number | undefined {
  const match = /^(\d{1,3}(?:,\d{3})+|\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const baht = Number((match[1] ?? '').replaceAll(',', ''));
  const satang = Number((match[2] ?? '').padEnd(2, '0'));
  return baht * 100 + satang;
}

/** The action, or the problem with the command line as a sentence (cli.ts turns it into usage help). */
export function parseAdminCommand(
  dataDir: string,
  positionals: readonly string[],
  values: Record<string, string | boolean | undefined>,
): AdminOptions | string {
  const [area, verb, ...rest] = positionals;
  if (area !== 'products') return area ? `unknown admin area '${area}' (there is: products)` : 'admin needs: products';
  const json = values['json'] === true;
  const expect = (count: number, what: string): string | undefined =>
    rest.length === count ? undefined : `admin products ${verb ?? ''} takes ${what}`;
  let action: AdminAction;
  switch (verb) {
    case 'list': {
      const problem = expect(0, 'no argument (use --query and --page)');
      if (problem) return problem;
      const pageFlag = (values['page'] as string | undefined) ?? '1';
      if (!/^\d{1,4}$/.test(pageFlag) || Number(pageFlag) < 1) return `--page must be a page number, got '${pageFlag}'`;
      action = { kind: 'list', query: values['query'] as string | undefined, page: Number(pageFlag) };
      break;
    }
    case 'show':
    case 'delete': {
      const problem = expect(1, 'one product id or sku');
      if (problem) return problem;
      action = { kind: verb, product: rest[0] ?? '' };
      break;
    }
    case 'set-price': {
      const problem = expect(2, 'a product id or sku and a price in baht');
      if (problem) return problem;
      const satang = parseBaht(rest[1] ?? '');
      if (satang === undefined) return `'${rest[1] ?? ''}' is not an amount of baht (e.g. 1290 or 1,290.50)`;
      action = { kind: 'set-price', product: rest[0] ?? '', satang };
      break;
    }
    case 'create': {
      const problem = expect(0, '--file product.json and no argument');
      if (problem) return problem;
      const file = values['file'] as string | undefined;
      if (!file) return 'admin products create needs --file product.json';
      action = { kind: 'create', file };
      break;
    }
    default:
      return verb
        ? `unknown action '${verb}' (list, show, set-price, create, delete)`
        : 'admin products needs an action: list, show, set-price, create or delete';
  }
  return { dataDir, action, json };
}
