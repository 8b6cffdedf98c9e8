import { z } from 'zod';
import { MAX_SNAPSHOT_LIMIT, ProductSnapshotPageSchema } from '@talad/contracts-catalog';
import { ShippingRateSchema } from '@talad/contracts-shipping';
import { withTransaction, type Pool } from '@talad/pg';
import type { Logger } from '@talad/service';
import { upsertProducts } from './product-replica.ts';
import { seedShippingRates } from './shipping-rate-replica.ts';

/** `GET {SHIPPING_URL}/rates`: the whole rate table. */
const ShippingRatesSchema = z.object({ rates: z.array(ShippingRateSchema).min(1) });

const REQUEST_TIMEOUT_MS = 10_000;

export interface ReplicaBootstrapOptions {
  pool: Pool;
  catalogUrl: string;
  shippingUrl: string;
  logger: Logger;
  /** Pause between attempts while catalog or shipping cannot be reached. Defaults to 5 s. */
  retryDelayMs?: number;
}

export interface ReplicaBootstrap {
  /** Resolves once both replicas are filled (or the bootstrap was stopped). */
  readonly done: Promise<void>;
  stop(): void;
}

/**
 * Fills the price and shipping-rate replicas from their owners on the first start, when they were
 * never filled: catalog's product snapshot page by page, shipping's rate table. Runs in the background
 * and keeps trying while either owner is unreachable; the replicas' event consumers run meanwhile, and
 * every write is idempotent and keeps the newer copy, so the two can interleave in any order.
 */
export function startReplicaBootstrap(options: ReplicaBootstrapOptions): ReplicaBootstrap {
  const stopping = new AbortController();
  const retryDelayMs = options.retryDelayMs ?? 5_000;
  const stopped = (): boolean => stopping.signal.aborted;
  const runUntilDone = async (replica: string, fill: (signal: AbortSignal) => Promise<number>): Promise<void> => {
    while (!stopped()) {
      try {
        if (await isBootstrapped(options.pool, replica)) return;
        const count = await fill(stopping.signal);
        await options.pool.query(
          'INSERT INTO replica_bootstraps (replica, completed_at) VALUES ($1, now()) ON CONFLICT DO NOTHING',
          [replica],
        );
        options.logger.info({ replica, count }, 'replica filled from its owner');
        return;
      } catch (error) {
        if (stopped()) return;
        options.logger.warn({ err: error, replica }, 'replica bootstrap failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs).unref());
      }
    }
  };
  const done = Promise.all([
    runUntilDone('products', (signal) => fillProducts(options, signal)),
    runUntilDone('shipping_rates', (signal) => fillShippingRates(options, signal)),
  ]).then(() => undefined);
  return { done, stop: () => stopping.abort() };
}

async function isBootstrapped(pool: Pool, replica: string): Promise<boolean> {
  const { rowCount } = await pool.query('SELECT 1 FROM replica_bootstraps WHERE replica = $1', [replica]);
  return (rowCount ?? 0) > 0;
}

async function fillProducts(options: ReplicaBootstrapOptions, signal: AbortSignal): Promise<number> {
  let after: string | null = null;
  let count = 0;
  do {
    const url = new URL('products/snapshot', withTrailingSlash(options.catalogUrl));
    url.searchParams.set('limit', String(MAX_SNAPSHOT_LIMIT));
    if (after) url.searchParams.set('after', after);
    const page = ProductSnapshotPageSchema.parse(await getJson(url, signal));
    await withTransaction(options.pool, (tx) => upsertProducts(tx, page.items));
    count += page.items.length;
    after = page.next;
  } while (after && !signal.aborted);
  return count;
}

async function fillShippingRates(options: ReplicaBootstrapOptions, signal: AbortSignal): Promise<number> {
  const { rates } = ShippingRatesSchema.parse(
    await getJson(new URL('rates', withTrailingSlash(options.shippingUrl)), signal),
  );
  await withTransaction(options.pool, (tx) => seedShippingRates(tx, rates));
  return rates.length;
}

async function getJson(url: URL, signal: AbortSignal): Promise<unknown> {
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
  });
  if (!response.ok) throw new Error(`GET ${url.pathname} answered ${response.status}`);
  return response.json();
}

function withTrailingSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}
