import type { AdminProduct } from './admin.ts';

/** Satang as baht with two decimals and thousands separators: 129000 → `1,290.00`. */
export function formatBaht(satang: number): string {
  const baht = Math.trunc(satang / 100);
  const rest = String(Math.abs(satang % 100)).padStart(2, '0');
  return `${baht.toLocaleString('en-US')}.${rest}`;
}

/** Products as an aligned table, price right-aligned; long names are cut to keep a line readable. */
export function productTable(products: readonly AdminProduct[]): string {
  if (products.length === 0) return 'No products.';
  const rows = products.map((product) => [
    product.id,
    product.sku,
    cut(product.name, 40),
    formatBaht(product.price.amount),
    product.category,
  ]);
  const header = ['ID', 'SKU', 'NAME', 'PRICE (THB)', 'CATEGORY'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === 3 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(column === 4 ? 0 : (widths[column] ?? 0)),
      )
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** One product, a field a line. */
export function productDetails(product: AdminProduct): string {
  const fields: Array<[string, string]> = [
    ['id', product.id],
    ['sku', product.sku],
    ['name', product.name],
    ['brand', product.brand],
    ['category', product.category],
    ['price', `${formatBaht(product.price.amount)} ${product.price.currency}`],
    ['sizes', product.sizes.length > 0 ? product.sizes.join(', ') : '-'],
    ['updated', product.updatedAt],
  ];
  return fields.map(([name, value]) => `${name.padEnd(9)}${value}`).join('\n');
}

function cut(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
