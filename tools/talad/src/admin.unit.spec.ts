import { describe, expect, it } from 'vitest';
import { parseBaht } from './admin-cli.ts';
import { formatBaht, productTable } from './admin-format.ts';
import type { AdminProduct } from './admin.ts';
import { parseCli } from './cli.ts';

const parse = (argv: string[]) => parseCli(argv, { INIT_CWD: '/home/me' }, '/repo');

describe('talad admin command line', () => {
  it('reads each products action with its arguments and flags', () => {
    expect(parse(['admin', 'products', 'list', '--query', 'nmd', '--page', '3', '--json'])).toEqual({
      kind: 'run',
      command: 'admin',
      options: { dataDir: '/repo/.talad', action: { kind: 'list', query: 'nmd', page: 3 }, json: true },
    });
    expect(parse(['admin', 'products', 'set-price', 'SNK-ADI-000123', '1,290.50'])).toMatchObject({
      options: { action: { kind: 'set-price', product: 'SNK-ADI-000123', satang: 129_050 }, json: false },
    });
    expect(parse(['admin', 'products', 'create', '--file', 'p.json'])).toMatchObject({
      options: { action: { kind: 'create', file: 'p.json' } },
    });
    expect(parse(['admin', 'products', 'delete', 'SKU-1'])).toMatchObject({
      options: { action: { kind: 'delete', product: 'SKU-1' } },
    });
  });

  it.each([
    [['admin'], 'admin needs: products'],
    [['admin', 'orders', 'list'], "unknown admin area 'orders'"],
    [['admin', 'products'], 'needs an action'],
    [['admin', 'products', 'show'], 'one product id or sku'],
    [['admin', 'products', 'set-price', 'SKU-1', '12.345'], "'12.345' is not an amount of baht"],
    [['admin', 'products', 'list', '--page', '0'], '--page must be a page number'],
    [['admin', 'products', 'create'], 'needs --file'],
    [['admin', 'products', 'list', '--colour', 'red'], "unknown option '--colour'"],
  ])('refuses %j with a usage error naming the problem', (argv, problem) => {
    const cli = parse(argv);
    expect(cli.kind).toBe('usage-error');
    expect(cli.kind === 'usage-error' && cli.message).toContain(problem);
  });

  it('reads baht into satang without floating point', () => {
    expect(parseBaht('1290')).toBe(129_000);
    expect(parseBaht('1290.5')).toBe(129_050);
    expect(parseBaht('1,290.05')).toBe(129_005);
    expect(parseBaht('0.1')).toBe(10);
    for (const bad of ['', '-5', '1.234', '12,34', '1e3', 'ten']) expect(parseBaht(bad)).toBeUndefined();
  });
});

describe('talad admin output', () => {
  it('shows satang as baht and products as an aligned table', () => {
    expect(formatBaht(129_050)).toBe('1,290.50');
    expect(formatBaht(5)).toBe('0.05');
    const product = (sku: string, name: string, amount: number): AdminProduct => ({
      id: `0193c5d2-7a1e-7c3b-9d4e-2f6a8b1c3d5${sku.length % 10}`,
      sku,
      name,
      brand: 'Talad',
      category: 'Sneakers',
      price: { amount, currency: 'THB' },
      sizes: [],
      description: '',
      updatedAt: '2025-04-05T07:53:43.000Z',
    });
    const lines = productTable([product('SNK-1', 'Runner', 39_900), product('SNK-10', 'Trail', 1_290_000)]).split('\n');
    expect(lines[0]).toMatch(/^ID {36}SKU {5}NAME {4}PRICE \(THB\) {2}CATEGORY$/);
    expect(lines[1]).toMatch(/ {2}SNK-1 {3}Runner {7}399\.00 {2}Sneakers$/);
    expect(lines[2]).toMatch(/ {2}SNK-10 {2}Trail {5}12,900\.00 {2}Sneakers$/);
    expect(productTable([])).toBe('No products.');
  });
});
