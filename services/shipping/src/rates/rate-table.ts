import { SHIPPING_OPTIONS } from '@talad/contracts-common';
import type { ShippingRate } from '@talad/contracts-shipping';
import { DomainError } from '@talad/core';
import type { Queryable } from '@talad/pg';
import { ShippingErrorCode } from '../error-codes.ts';

interface RateRow {
  option: ShippingRate['option'];
  fee_amount: number;
  free_from_amount: number | null;
  min_days: number;
  max_days: number;
}

/** The rate table as it is now, in display order. */
export async function readRates(db: Queryable): Promise<ShippingRate[]> {
  const { rows } = await db.query<RateRow>(
    'SELECT option, fee_amount, free_from_amount, min_days, max_days FROM shipping_rates ORDER BY position',
  );
  return rows.map((row) => ({
    option: row.option,
    fee: { amount: row.fee_amount, currency: 'THB' },
    freeFrom: row.free_from_amount === null ? null : { amount: row.free_from_amount, currency: 'THB' },
    estimatedDays: { min: row.min_days, max: row.max_days },
  }));
}

/**
 * Replaces the whole table in the caller's transaction (so the change and its event commit together).
 * The rows are locked first, so two administrators replacing the table at once take turns and the
 * events they publish come in the order the changes were made.
 */
export async function replaceRates(tx: Queryable, rates: readonly ShippingRate[]): Promise<void> {
  checkRateTable(rates);
  await tx.query('LOCK TABLE shipping_rates IN EXCLUSIVE MODE');
  await tx.query('DELETE FROM shipping_rates');
  const ordered = [...rates].sort((a, b) => SHIPPING_OPTIONS.indexOf(a.option) - SHIPPING_OPTIONS.indexOf(b.option));
  for (const [index, rate] of ordered.entries()) {
    await tx.query(
      `INSERT INTO shipping_rates (option, fee_amount, free_from_amount, min_days, max_days, position)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        rate.option,
        rate.fee.amount,
        rate.freeFrom?.amount ?? null,
        rate.estimatedDays.min,
        rate.estimatedDays.max,
        index + 1,
      ],
    );
  }
}

/** The rules a rate table must keep beyond its shape: each option once, and sensible delivery days. */
export function checkRateTable(rates: readonly ShippingRate[]): void {
  const seen = new Set<string>();
  for (const rate of rates) {
    if (seen.has(rate.option)) {
      throw new DomainError('invalid', ShippingErrorCode.DuplicateOption, `the option ${rate.option} appears twice`);
    }
    seen.add(rate.option);
    if (rate.estimatedDays.min > rate.estimatedDays.max) {
      throw new DomainError(
        'invalid',
        ShippingErrorCode.InvalidDeliveryDays,
        `${rate.option}: estimatedDays.min (${rate.estimatedDays.min}) is more than estimatedDays.max (${rate.estimatedDays.max})`,
      );
    }
  }
}
