import type { ShippingRate } from '@talad/contracts-shipping';
import type { Queryable } from '@talad/pg';

/** Before any real change: the bootstrap's rates carry this time, so any published change replaces them. */
const BOOTSTRAP_EFFECTIVE_AT = new Date(0).toISOString();

/**
 * Replaces the whole rate table with `rates`, unless the table already holds rates that took effect
 * later (a redelivered or late older change is ignored). Run it in a transaction: writers of the table
 * take turns on an advisory lock, so a bootstrap and a published change cannot interleave.
 */
export async function replaceShippingRates(
  db: Queryable,
  rates: readonly ShippingRate[],
  effectiveAt: string,
): Promise<boolean> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext('ordering:shipping_rate_replica'))");
  const { rows } = await db.query<{ newer: boolean }>(
    `WITH current AS (SELECT max(effective_at) AS effective_at FROM shipping_rate_replica)
     SELECT coalesce((SELECT effective_at FROM current) > $1::timestamptz, false) AS newer`,
    [effectiveAt],
  );
  if (rows[0]?.newer) return false;
  await db.query('DELETE FROM shipping_rate_replica');
  await db.query(
    `INSERT INTO shipping_rate_replica (option, fee_amount, free_from_amount, min_days, max_days, effective_at)
     SELECT r.option, r.fee_amount, r.free_from_amount, r.min_days, r.max_days, $2
     FROM json_to_recordset($1::json) AS r(option text, fee_amount bigint, free_from_amount bigint, min_days int, max_days int)`,
    [
      JSON.stringify(
        rates.map((rate) => ({
          option: rate.option,
          fee_amount: rate.fee.amount,
          free_from_amount: rate.freeFrom?.amount ?? null,
          min_days: rate.estimatedDays.min,
          max_days: rate.estimatedDays.max,
        })),
      ),
      effectiveAt,
    ],
  );
  return true;
}

/** The bootstrap's copy: written only when no published change has arrived yet. */
export async function seedShippingRates(db: Queryable, rates: readonly ShippingRate[]): Promise<boolean> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext('ordering:shipping_rate_replica'))");
  const { rows } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM shipping_rate_replica');
  if ((rows[0]?.count ?? 0) > 0) return false;
  return replaceShippingRates(db, rates, BOOTSTRAP_EFFECTIVE_AT);
}

export async function currentShippingRates(db: Queryable): Promise<ShippingRate[]> {
  const { rows } = await db.query<{
    option: ShippingRate['option'];
    fee_amount: number;
    free_from_amount: number | null;
    min_days: number;
    max_days: number;
  }>('SELECT option, fee_amount, free_from_amount, min_days, max_days FROM shipping_rate_replica ORDER BY option');
  return rows.map((row) => ({
    option: row.option,
    fee: { amount: row.fee_amount, currency: 'THB' },
    freeFrom: row.free_from_amount === null ? null : { amount: row.free_from_amount, currency: 'THB' },
    estimatedDays: { min: row.min_days, max: row.max_days },
  }));
}
