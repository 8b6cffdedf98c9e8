import { ProductSnapshotPageSchema } from '@talad/contracts-catalog';
import type { Clock } from '@talad/core';
import type { Pool } from '@talad/pg';
import type { Logger } from '@talad/service';
import { addSeededStock } from './stock-store.ts';

const PAGE_SIZE = 1000;
const REQUEST_TIMEOUT_MS = 10_000;

export interface StockBootstrapOptions {
  pool: Pool;
  /** Catalog's base URL: `GET {catalogUrl}/products/snapshot?after=&limit=`. */
  catalogUrl: string;
  clock: Clock;
  logger: Logger;
  /** Pause between attempts while the catalog cannot be reached. Defaults to 5 s. */
  retryDelayMs?: number;
}

export interface StockBootstrap {
  /** Resolves once stock exists for every product of the catalog (or the bootstrap was stopped). */
  readonly done: Promise<void>;
  /** Whether stock was filled, on this start or an earlier one. */
  isDone(): boolean;
  stop(): void;
}

/**
 * Gives every catalog product its seeded stock on the first start: pages through catalog's product
 * snapshot in id order and adds the products inventory has no row for, then records that it is done,
 * so later starts skip it. Runs in the background, trying again while the catalog is unreachable.
 * Catalog's product events are handled meanwhile; both only ever add missing rows (and a deletion
 * leaves a discontinued row), so they may interleave in any order and several instances may run it
 * at once. The seed is the initial state, not a change: it announces nothing.
 */
export function startStockBootstrap(options: StockBootstrapOptions): StockBootstrap {
  const stopping = new AbortController();
  const retryDelayMs = options.retryDelayMs ?? 5_000;
  // A function, so the compiler does not assume the flag unchanged across an await.
  const isStopping = (): boolean => stopping.signal.aborted;
  let finished = false;

  const run = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      try {
        if (!(await isBootstrapped(options.pool))) {
          const products = await fillStock(options, stopping.signal);
          if (isStopping()) return;
          await options.pool.query(
            `INSERT INTO stock_bootstrap (products, completed_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
            [products, options.clock.now()],
          );
          options.logger.info({ products }, 'stock seeded for every catalog product');
        }
        finished = true;
        return;
      } catch (error) {
        if (isStopping()) return;
        options.logger.warn({ err: error }, 'stock bootstrap failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs).unref());
      }
    }
  };

  return { done: run(), isDone: () => finished, stop: () => stopping.abort() };
}

async function isBootstrapped(pool: Pool): Promise<boolean> {
  const { rowCount } = await pool.query('SELECT 1 FROM stock_bootstrap');
  return (rowCount ?? 0) > 0;
}

async function fillStock(options: StockBootstrapOptions, signal: AbortSignal): Promise<number> {
  let after: string | null = null;
  let products = 0;
  do {
    const url = new URL(
      'products/snapshot',
      options.catalogUrl.endsWith('/') ? options.catalogUrl : `${options.catalogUrl}/`,
    );
    url.searchParams.set('limit', String(PAGE_SIZE));
    if (after) url.searchParams.set('after', after);
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    if (!response.ok) throw new Error(`GET ${url.pathname} answered ${response.status}`);
    const page = ProductSnapshotPageSchema.parse(await response.json());
    await addSeededStock(
      options.pool,
      page.items.map((product) => product.id),
      options.clock.now(),
    );
    products += page.items.length;
    after = page.next;
  } while (after && !signal.aborted);
  return products;
}
