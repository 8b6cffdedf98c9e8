import type { TokenVerifier } from '@talad/auth';
import { createMessagingApp } from '@talad/bootstrap';
import { systemClock, type Clock } from '@talad/core';
import type { Transport } from '@talad/messaging';
import type { Pool } from '@talad/pg';
import { createLogger, type Logger, type ServiceApp } from '@talad/service';
import { registerReservationAdminRoutes } from './reservations/admin-routes.ts';
import { createExpirySweeper } from './reservations/expiry-sweeper.ts';
import { subscribeReservationCommands } from './reservations/reservation-handlers.ts';
import { registerStockAdminRoutes } from './stock/admin-routes.ts';
import { subscribeCatalogEvents } from './stock/catalog-events.ts';
import { registerStockRoutes } from './stock/routes.ts';
import { startStockBootstrap, type StockBootstrap } from './stock/stock-bootstrap.ts';

export interface InventoryAppOptions {
  pool: Pool;
  transport: Transport;
  verifier: TokenVerifier;
  /** Catalog's base URL, whose product snapshot seeds the stock on the first start. */
  catalogUrl: string;
  clock?: Clock;
  logger?: Logger;
  /** Pause between sweeps for expired reservations; 0 turns this instance's sweeper off. Defaults to 2 s. */
  sweepIntervalMs?: number;
  /** Pause between bootstrap attempts while the catalog cannot be reached. Defaults to 5 s. */
  bootstrapRetryDelayMs?: number;
}

const DEFAULT_SWEEP_INTERVAL_MS = 2_000;

/**
 * The inventory service: stock per product (seeded from the catalog, kept in step with its events),
 * reservations for the checkout saga (`ReserveStock`, `ReleaseStock`, `CommitReservation`), expiry of
 * reservations nobody finished, stock badges for everyone and administration for admins. Builds
 * without listening; consumers, bootstrap and sweeper start when the app is ready and stop when it
 * closes. It is ready once the stock has been seeded.
 */
export async function buildInventoryApp(options: InventoryAppOptions): Promise<ServiceApp> {
  const { pool } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ service: 'inventory' });
  let bootstrap: StockBootstrap | undefined;
  const { app, messaging } = await createMessagingApp({
    name: 'inventory',
    description: 'Stock levels and the reservations that hold stock for orders.',
    ...options,
    clock,
    logger,
    readiness: {
      // Until every catalog product has stock, a reservation could be refused as UNKNOWN_PRODUCT.
      stock: async () => {
        if (!bootstrap?.isDone()) throw new Error('stock not yet seeded from the catalog');
      },
    },
  });
  registerStockRoutes(app, pool);
  registerStockAdminRoutes(app, { pool, messaging, clock });
  registerReservationAdminRoutes(app, pool);
  subscribeReservationCommands(messaging, clock);
  subscribeCatalogEvents(messaging, clock);

  const sweepIntervalMs = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  const sweeper =
    sweepIntervalMs > 0 ? createExpirySweeper({ messaging, clock, logger, intervalMs: sweepIntervalMs }) : null;
  app.addHook('onReady', async () => {
    bootstrap = startStockBootstrap({
      pool,
      catalogUrl: options.catalogUrl,
      clock,
      logger,
      ...(options.bootstrapRetryDelayMs === undefined ? {} : { retryDelayMs: options.bootstrapRetryDelayMs }),
    });
    sweeper?.start();
  });
  app.addHook('onClose', async () => {
    bootstrap?.stop();
    await bootstrap?.done;
    await sweeper?.stop();
  });
  return app;
}
