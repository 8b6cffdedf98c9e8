import { ShippingRatesChanged, type ShippingRate } from '@talad/contracts-shipping';
import type { Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import type { Queryable } from '@talad/pg';
import { readRates } from './rate-table.ts';

/** Every rates event has this key, so they share a partition and arrive in the order they were made. */
export const RATES_KEY = 'shipping-rates';

/**
 * Publishes the whole table as it is in this transaction, through the outbox: the change and its
 * announcement commit together or not at all.
 */
export async function announceRates(tx: Queryable, messaging: Messaging, clock: Clock): Promise<ShippingRate[]> {
  const rates = await readRates(tx);
  const now = clock.now();
  await messaging.publish(tx, ShippingRatesChanged, { rates, effectiveAt: now.toISOString() }, { key: RATES_KEY });
  await tx.query('UPDATE rates_announcement SET announced_at = $1', [now]);
  return rates;
}

/**
 * Announces the table once in the database's life: on the first start, the opening rates came from a
 * migration, which cannot publish, and replicas must still hear of them. Several instances starting at
 * once take turns on the announcement row; only the first finds it unannounced. True when it announced.
 */
export async function announceRatesOnce(messaging: Messaging, clock: Clock): Promise<boolean> {
  return messaging.transaction(async (tx) => {
    const { rowCount } = await tx.query('UPDATE rates_announcement SET announced_at = $1 WHERE announced_at IS NULL', [
      clock.now(),
    ]);
    if (rowCount !== 1) return false;
    await announceRates(tx, messaging, clock);
    return true;
  });
}
