import { performance } from 'node:perf_hooks';
import {
  baselineMessages,
  baselineResult,
  sleep,
  type RawBaselineOptions as CommonOptions,
  type RawBaselineResult,
} from '@talad/messaging';
import { createPool } from '@talad/pg';

export interface RawBaselineOptions extends CommonOptions {
  /** Rows the reader takes per round trip. Default 500. */
  readonly batchSize?: number;
}

export type { RawBaselineResult };

/**
 * What PostgreSQL does as a queue with nothing around it, as the benchmark's baseline for the message log:
 * writers insert 1 KB rows into one plain table, one committed transaction per row, `inFlight` (16) at a
 * time, while one reader takes them in id order (a DELETE … RETURNING of the oldest `batchSize` rows, its
 * acknowledgement), polling when the table is empty. No partitions, positions, locks or notifications. The
 * table is dropped afterwards.
 *
 * @example
 * const { msgsPerSecond } = await runRawBaseline({ url: scratch.url, messages: 10_000 });
 */
export async function runRawBaseline(options: RawBaselineOptions): Promise<RawBaselineResult> {
  const total = baselineMessages(options);
  const payload = Buffer.alloc(Math.max(8, options.payloadBytes ?? 1024), 0x61);
  const inFlight = options.inFlight ?? 16;
  const batchSize = options.batchSize ?? 500;
  const table = `raw_baseline_${process.pid}_${Date.now().toString(36)}`;
  const pool = createPool({ connectionString: options.url, applicationName: 'raw-baseline', max: inFlight + 1 });
  try {
    await pool.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, sent_at float8 NOT NULL, body bytea NOT NULL)`);
    const latencies: number[] = [];
    const reader = (async () => {
      while (latencies.length < total) {
        const { rows } = await pool.query<{ sent_at: number }>(
          `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} ORDER BY id LIMIT $1) RETURNING sent_at`,
          [batchSize],
        );
        const now = performance.now();
        for (const row of rows) latencies.push(now - row.sent_at);
        if (rows.length === 0) await sleep(1);
      }
    })();

    const started = performance.now();
    let next = 0;
    const writer = async (): Promise<void> => {
      while (next < total) {
        next++;
        await pool.query(`INSERT INTO ${table} (sent_at, body) VALUES ($1, $2)`, [performance.now(), payload]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, total) }, writer));
    await reader;
    return baselineResult(total, started, latencies);
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pool.end();
  }
}
