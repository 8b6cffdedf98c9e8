import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPool, withTransaction, type Pool } from '@talad/pg';
import type { Discovery, Registration } from './discovery.ts';
import { byId, type ServiceInstance } from './instance.ts';
import { createWatchHub } from './watch-hub.ts';

export interface PostgresDiscoveryOptions {
  /** Connection string of the registry database (`discovery` in the embedded topology). */
  url: string;
  /** An instance not heard from for this long has gone. Default 10 s. */
  ttlMs?: number;
  /** Default a third of the TTL, so two heartbeats can be lost before an instance expires. */
  heartbeatIntervalMs?: number;
  /**
   * Backstop re-read of each watched name, for notifications lost while the listening connection was
   * down. Expiries do not wait for it: a watcher re-reads when the next instance it knows is due to expire.
   * Default 5 s.
   */
  pollIntervalMs?: number;
  /** Registry errors (heartbeat failed, connection lost); the registry keeps retrying. */
  onError?: (error: unknown) => void;
}

const CHANNEL = 'talad_discovery';
// Any fixed number works; it only has to be the same in every process that creates the table.
const SCHEMA_LOCK_KEY = 7_201_978;
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS discovery_instances (
    id text PRIMARY KEY,
    name text NOT NULL,
    version text NOT NULL,
    url text NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}',
    registered_at timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
  );
  CREATE INDEX IF NOT EXISTS discovery_instances_by_name ON discovery_instances (name, expires_at);
`;

// One statement registers and heartbeats; it notifies only when the instance was not already alive,
// so steady heartbeats cost watchers nothing. The database's clock decides expiry, never a client's.
const HEARTBEAT = `
  WITH previous AS (SELECT expires_at > now() AS alive FROM discovery_instances WHERE id = $1),
  upserted AS (
    INSERT INTO discovery_instances (id, name, version, url, metadata, expires_at)
    VALUES ($1, $2, $3, $4, $5, now() + $6 * interval '1 millisecond')
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, version = EXCLUDED.version, url = EXCLUDED.url,
      metadata = EXCLUDED.metadata, heartbeat_at = now(), expires_at = EXCLUDED.expires_at
    RETURNING name
  )
  SELECT pg_notify('${CHANNEL}', name) FROM upserted WHERE NOT coalesce((SELECT alive FROM previous), false)
`;
const DEREGISTER = `
  WITH gone AS (DELETE FROM discovery_instances WHERE id = $1 RETURNING name)
  SELECT pg_notify('${CHANNEL}', name) FROM gone
`;
const LIVE_INSTANCES = `
  SELECT id, name, version, url, metadata,
         extract(epoch FROM (expires_at - now())) * 1000 AS expires_in_ms
  FROM discovery_instances WHERE name = $1 AND expires_at > now()
`;
// Expired rows stay a while, for whoever investigates what ran; then any registering instance sweeps them.
const SWEEP = `DELETE FROM discovery_instances WHERE expires_at < now() - interval '1 hour'`;

/**
 * The registry of the embedded topology: one small table, created on first use. Instances upsert their
 * row on every heartbeat; a row whose heartbeats stop expires after the TTL. Watchers hear of joins and
 * leaves at once through LISTEN/NOTIFY, and of expiries by re-reading when the next row is due to expire.
 *
 * @example
 * const discovery = createPostgresDiscovery({ url: 'postgres://discovery@127.0.0.1:54329/discovery' });
 * await discovery.register({ name: 'catalog', version: '1.4.0', url: 'http://127.0.0.1:8101' });
 * discovery.watch('catalog', (instances) => balancer.update(instances));
 */
export function createPostgresDiscovery(options: PostgresDiscoveryOptions): Discovery {
  const ttlMs = options.ttlMs ?? 10_000;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? Math.floor(ttlMs / 3);
  const onError = options.onError ?? (() => undefined);
  const pool = createPool({ connectionString: options.url, applicationName: 'discovery', max: 2 });
  const registrations = new Set<Registration>();
  let closed = false;

  let schema: Promise<void> | undefined;
  const ensureSchema = (): Promise<void> =>
    (schema ??= createSchema(pool).catch((error: unknown) => {
      schema = undefined;
      throw error;
    }));

  const hub = createWatchHub({
    refreshIntervalMs: options.pollIntervalMs ?? 5_000,
    onError: (error) => onError(error),
    async load(name) {
      await ensureSchema();
      listener.start();
      const { rows } = await pool.query<InstanceRow>(LIVE_INSTANCES, [name]);
      const soonest = Math.min(...rows.map((row) => Number(row.expires_in_ms)));
      return {
        instances: byId(rows.map(toInstance)),
        // Just after the next expiry, so a dead instance leaves the list on time without a fast poll.
        ...(Number.isFinite(soonest) ? { refreshInMs: soonest + 20 } : {}),
      };
    },
  });
  const listener = createListener(options.url, {
    onNotification: (name) => hub.refresh(name),
    onConnected: () => hub.refreshAll(),
    onError,
  });

  return {
    kind: 'postgres',
    async register(registration) {
      await ensureSchema();
      const instance: ServiceInstance = {
        id: registration.id ?? `${registration.name}-${randomUUID()}`,
        name: registration.name,
        version: registration.version,
        url: registration.url,
        metadata: registration.metadata ?? {},
      };
      const heartbeat = (): Promise<unknown> =>
        pool.query(HEARTBEAT, [instance.id, instance.name, instance.version, instance.url, instance.metadata, ttlMs]);
      await heartbeat();
      await pool.query(SWEEP).catch(onError);
      let beating = false;
      const timer = setInterval(() => {
        if (beating) return;
        beating = true;
        heartbeat()
          .catch(onError)
          .finally(() => (beating = false));
      }, heartbeatIntervalMs);
      timer.unref();
      const handle: Registration = {
        instance,
        async deregister() {
          if (!registrations.delete(handle)) return;
          clearInterval(timer);
          await pool.query(DEREGISTER, [instance.id]);
        },
      };
      registrations.add(handle);
      return handle;
    },
    async instances(name) {
      await ensureSchema();
      const { rows } = await pool.query<InstanceRow>(LIVE_INSTANCES, [name]);
      return byId(rows.map(toInstance));
    },
    watch: (name, onChange) => hub.watch(name, onChange),
    async close() {
      if (closed) return;
      closed = true;
      hub.close();
      for (const registration of [...registrations]) await registration.deregister().catch(onError);
      await listener.stop();
      await pool.end();
    },
  };
}

interface InstanceRow {
  id: string;
  name: string;
  version: string;
  url: string;
  metadata: Record<string, unknown>;
  expires_in_ms: number | string;
}

function toInstance(row: InstanceRow): ServiceInstance {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    url: row.url,
    metadata: Object.fromEntries(Object.entries(row.metadata).map(([key, value]) => [key, String(value)])),
  };
}

async function createSchema(pool: Pool): Promise<void> {
  // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog; the lock makes it one at a time.
  await withTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    await tx.query(SCHEMA);
  });
}

/**
 * The one connection that LISTENs, started with the first watch. When it drops it reconnects with a
 * growing pause, and every watched name is re-read, since notifications sent meanwhile are lost.
 */
function createListener(
  url: string,
  handlers: { onNotification(name: string): void; onConnected(): void; onError(error: unknown): void },
): { start(): void; stop(): Promise<void> } {
  let client: pg.Client | undefined;
  let started = false;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let pauseMs = 250;

  const connect = async (): Promise<void> => {
    const candidate = new pg.Client({ connectionString: url, application_name: 'discovery-listener' });
    let lost = false;
    const onLost = (error?: unknown): void => {
      if (error) handlers.onError(error);
      if (lost) return;
      lost = true;
      if (client === candidate) client = undefined;
      candidate.end().catch(() => undefined);
      if (!stopped) {
        retryTimer = setTimeout(() => void connect(), pauseMs);
        retryTimer.unref();
        pauseMs = Math.min(pauseMs * 2, 5_000);
      }
    };
    candidate.on('error', onLost);
    candidate.on('end', () => onLost());
    candidate.on('notification', (message) => {
      if (message.payload) handlers.onNotification(message.payload);
    });
    try {
      await candidate.connect();
      await candidate.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      onLost(error);
      return;
    }
    if (stopped) {
      await candidate.end().catch(() => undefined);
      return;
    }
    client = candidate;
    pauseMs = 250;
    handlers.onConnected();
  };

  return {
    start() {
      if (started) return;
      started = true;
      void connect();
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
