import { MAX_ADDRESSES, type Address, type AddressInput } from '@talad/contracts-identity';
import { newId, type Clock } from '@talad/core';
import { withTransaction, type Pool } from '@talad/pg';

export type CreateOutcome = { outcome: 'created' | 'replayed'; address: Address } | { outcome: 'limit-reached' };

/**
 * A customer's delivery addresses. Every query is scoped by the owner's id, so an address of another
 * customer is exactly as absent as one that never existed.
 */
export interface AddressRepository {
  list(userId: string): Promise<Address[]>;
  find(userId: string, id: string): Promise<Address | undefined>;
  /** With an idempotency key, a retried create returns the address the first attempt made. */
  create(userId: string, input: AddressInput, idempotencyKey?: string): Promise<CreateOutcome>;
  replace(userId: string, id: string, input: AddressInput): Promise<Address | undefined>;
  remove(userId: string, id: string): Promise<boolean>;
}

interface AddressRow {
  id: string;
  name: string;
  phone: string;
  line1: string;
  line2: string | null;
  subdistrict: string;
  district: string;
  province: string;
  postal_code: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, phone, line1, line2, subdistrict, district, province, postal_code, created_at, updated_at';

export function createAddressRepository(pool: Pool, clock: Clock): AddressRepository {
  const fields = (input: AddressInput) => [
    input.name,
    input.phone,
    input.line1,
    input.line2 || null,
    input.subdistrict,
    input.district,
    input.province,
    input.postalCode,
  ];
  return {
    async list(userId) {
      const { rows } = await pool.query<AddressRow>(
        `SELECT ${COLUMNS} FROM addresses WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
      return rows.map(toAddress);
    },

    async find(userId, id) {
      const { rows } = await pool.query<AddressRow>(`SELECT ${COLUMNS} FROM addresses WHERE id = $1 AND user_id = $2`, [
        id,
        userId,
      ]);
      return rows[0] && toAddress(rows[0]);
    },

    async create(userId, input, idempotencyKey) {
      return withTransaction(pool, async (tx): Promise<CreateOutcome> => {
        // Serialises one customer's creates, so the limit holds under concurrent requests.
        await tx.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
        if (idempotencyKey !== undefined) {
          const { rows } = await tx.query<AddressRow>(
            `SELECT ${COLUMNS} FROM addresses WHERE user_id = $1 AND idempotency_key = $2`,
            [userId, idempotencyKey],
          );
          if (rows[0]) return { outcome: 'replayed', address: toAddress(rows[0]) };
        }
        const { rows: counted } = await tx.query<{ n: number }>(
          'SELECT count(*) AS n FROM addresses WHERE user_id = $1',
          [userId],
        );
        if ((counted[0]?.n ?? 0) >= MAX_ADDRESSES) return { outcome: 'limit-reached' };
        const now = clock.now();
        const { rows } = await tx.query<AddressRow>(
          `INSERT INTO addresses (id, user_id, name, phone, line1, line2, subdistrict, district, province, postal_code,
                                  idempotency_key, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
           RETURNING ${COLUMNS}`,
          [newId(now.getTime()), userId, ...fields(input), idempotencyKey ?? null, now],
        );
        return { outcome: 'created', address: toAddress(rows[0] as AddressRow) };
      });
    },

    async replace(userId, id, input) {
      const { rows } = await pool.query<AddressRow>(
        `UPDATE addresses SET name = $3, phone = $4, line1 = $5, line2 = $6, subdistrict = $7, district = $8,
                province = $9, postal_code = $10, updated_at = $11
         WHERE id = $1 AND user_id = $2
         RETURNING ${COLUMNS}`,
        [id, userId, ...fields(input), clock.now()],
      );
      return rows[0] && toAddress(rows[0]);
    },

    async remove(userId, id) {
      const { rowCount } = await pool.query('DELETE FROM addresses WHERE id = $1 AND user_id = $2', [id, userId]);
      return rowCount === 1;
    },
  };
}

function toAddress(row: AddressRow): Address {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    line1: row.line1,
    ...(row.line2 ? { line2: row.line2 } : {}),
    subdistrict: row.subdistrict,
    district: row.district,
    province: row.province,
    postalCode: row.postal_code,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
