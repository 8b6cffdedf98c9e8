import { StockLevelChanged, type StockLevel, type StockRecord } from '@talad/contracts-inventory';
import type { Messaging } from '@talad/messaging';
import type { PoolClient, Queryable } from '@talad/pg';
import { availableOf, type ProductStock, type StockChange } from '../reservations/reservation-rules.ts';
import { seededQuantity, statusOf } from './stock-level.ts';

interface StockRow {
  product_id: string;
  on_hand: number;
  reserved: number;
  discontinued: boolean;
}

const STOCK_COLUMNS = 'product_id, on_hand, reserved, discontinued_at IS NOT NULL AS discontinued';

/**
 * Locks the stock rows of these products in product-id order (the sort happens below the row locks),
 * the one order every transaction of inventory locks them in, so two never wait for each other in a cycle.
 * Products inventory does not know are simply absent from the answer.
 */
export async function lockStock(tx: PoolClient, productIds: readonly string[]): Promise<Map<string, ProductStock>> {
  const { rows } = await tx.query<StockRow>(
    `SELECT ${STOCK_COLUMNS} FROM stock WHERE product_id = ANY($1::uuid[]) ORDER BY product_id FOR UPDATE`,
    [productIds],
  );
  return new Map(rows.map((row) => [row.product_id, toProductStock(row)]));
}

/** One product's stock as it is, without locking; null when inventory keeps none for it. */
export async function findStock(db: Queryable, productId: string): Promise<ProductStock | null> {
  const { rows } = await db.query<StockRow>(`SELECT ${STOCK_COLUMNS} FROM stock WHERE product_id = $1`, [productId]);
  const row = rows[0];
  return row ? toProductStock(row) : null;
}

/**
 * Applies counter deltas to rows the caller has locked (`lockStock`), and announces every product
 * whose available quantity moved with `StockLevelChanged`, through the outbox of the same transaction.
 * The table's CHECKs refuse any change that would oversell or go negative.
 */
export async function applyStockChanges(
  tx: PoolClient,
  messaging: Pick<Messaging, 'publish'>,
  changes: readonly StockChange[],
  now: Date,
): Promise<void> {
  if (changes.length === 0) return;
  const { rows } = await tx.query<StockRow>(
    `UPDATE stock s
     SET on_hand = s.on_hand + c.on_hand, reserved = s.reserved + c.reserved, updated_at = $4
     FROM unnest($1::uuid[], $2::int[], $3::int[]) AS c(product_id, on_hand, reserved)
     WHERE s.product_id = c.product_id
     RETURNING s.product_id, s.on_hand, s.reserved, s.discontinued_at IS NOT NULL AS discontinued`,
    [changes.map((change) => change.productId), changes.map((c) => c.onHand), changes.map((c) => c.reserved), now],
  );
  if (rows.length !== changes.length) {
    throw new Error(`stock changes for ${changes.length} products matched ${rows.length} rows`);
  }
  const moved = new Set(changes.filter((c) => c.onHand !== c.reserved).map((c) => c.productId));
  for (const row of rows) {
    if (moved.has(row.product_id) && !row.discontinued) await announce(tx, messaging, toProductStock(row));
  }
}

/** The badge of each known, not discontinued product, in the order asked (each product once). */
export async function readStockLevels(db: Queryable, productIds: readonly string[]): Promise<StockLevel[]> {
  const { rows } = await db.query<StockRow>(
    `SELECT ${STOCK_COLUMNS} FROM stock WHERE product_id = ANY($1::uuid[]) AND discontinued_at IS NULL`,
    [productIds],
  );
  const byId = new Map(rows.map((row) => [row.product_id, toProductStock(row)]));
  const levels: StockLevel[] = [];
  for (const productId of new Set(productIds.map((id) => id.toLowerCase()))) {
    const stock = byId.get(productId);
    if (!stock) continue;
    const available = availableOf(stock);
    levels.push({ productId, available, status: statusOf(available) });
  }
  return levels;
}

export function toStockRecord(stock: ProductStock): StockRecord {
  const available = availableOf(stock);
  return {
    productId: stock.productId,
    onHand: stock.onHand,
    reserved: stock.reserved,
    available,
    status: statusOf(available),
    discontinued: stock.discontinued,
  };
}

/**
 * Sets a locked product's on-hand count (after a stock take or a delivery), announcing the new
 * available quantity if it moved. The caller checked that it is not below what is reserved.
 */
export async function setOnHand(
  tx: PoolClient,
  messaging: Pick<Messaging, 'publish'>,
  stock: ProductStock,
  onHand: number,
  now: Date,
): Promise<ProductStock> {
  await applyStockChanges(
    tx,
    messaging,
    [{ productId: stock.productId, onHand: onHand - stock.onHand, reserved: 0 }],
    now,
  );
  return { ...stock, onHand };
}

/**
 * Stock for products inventory has not heard of yet, at their seeded quantities; products it already
 * has (or heard were deleted) keep their rows. Returns the ids actually added.
 */
export async function addSeededStock(db: Queryable, productIds: readonly string[], now: Date): Promise<string[]> {
  const { rows } = await db.query<{ product_id: string }>(
    `INSERT INTO stock (product_id, on_hand, reserved, updated_at)
     SELECT product_id, on_hand, 0, $3 FROM unnest($1::uuid[], $2::int[]) AS s(product_id, on_hand)
     ORDER BY product_id
     ON CONFLICT (product_id) DO NOTHING
     RETURNING product_id`,
    [productIds, productIds.map(seededQuantity), now],
  );
  return rows.map((row) => row.product_id);
}

/** A new product: its seeded stock, announced. A product already known keeps what it has. */
export async function addProduct(
  tx: PoolClient,
  messaging: Pick<Messaging, 'publish'>,
  productId: string,
  now: Date,
): Promise<void> {
  const [added] = await addSeededStock(tx, [productId], now);
  if (added)
    await announce(tx, messaging, {
      productId: added,
      onHand: seededQuantity(added),
      reserved: 0,
      discontinued: false,
    });
}

/**
 * A product catalog deleted can no longer be reserved; its row stays for the reservations that hold
 * it. A deletion heard before the product itself (while the first start's bootstrap pages through an
 * older snapshot) leaves a discontinued row, so the product is not brought back.
 */
export async function discontinueProduct(
  tx: PoolClient,
  messaging: Pick<Messaging, 'publish'>,
  productId: string,
  now: Date,
): Promise<void> {
  const stock = (await lockStock(tx, [productId])).get(productId);
  if (!stock) {
    // A bootstrap inserting the row meanwhile loses to the deletion.
    await tx.query(
      `INSERT INTO stock AS s (product_id, on_hand, reserved, discontinued_at, updated_at) VALUES ($1, 0, 0, $2, $2)
       ON CONFLICT (product_id) DO UPDATE SET discontinued_at = coalesce(s.discontinued_at, $2), updated_at = $2`,
      [productId, now],
    );
    return;
  }
  if (stock.discontinued) return;
  await tx.query('UPDATE stock SET discontinued_at = $2, updated_at = $2 WHERE product_id = $1', [productId, now]);
  if (availableOf(stock) > 0) {
    await messaging.publish(
      tx,
      StockLevelChanged,
      { productId: stock.productId, available: 0 },
      { key: stock.productId },
    );
  }
}

async function announce(tx: PoolClient, messaging: Pick<Messaging, 'publish'>, stock: ProductStock): Promise<void> {
  await messaging.publish(
    tx,
    StockLevelChanged,
    { productId: stock.productId, available: availableOf(stock) },
    { key: stock.productId },
  );
}

function toProductStock(row: StockRow): ProductStock {
  return { productId: row.product_id, onHand: row.on_hand, reserved: row.reserved, discontinued: row.discontinued };
}
