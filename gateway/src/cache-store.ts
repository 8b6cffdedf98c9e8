/** A cached upstream answer, with what is needed to serve it, revalidate it and vary on it. */
export interface CachedResponse {
  readonly status: number;
  /** Headers to relay: hop-by-hop ones and those the gateway sets itself are left out. */
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
  /** The upstream's ETag, or one the gateway made from the body; empty when the answer is not stored. */
  readonly etag: string;
  /** Whether `etag` came from upstream, so it can be sent back there to revalidate a stale entry. */
  readonly upstreamEtag: boolean;
  /** Wall-clock milliseconds, since entries are shared between gateway instances through Redis. */
  readonly storedAt: number;
  readonly freshUntil: number;
  /** The request headers the answer varies on (its `Vary`), with the values it was fetched for. */
  readonly vary: readonly (readonly [string, string])[];
}

/** Where cached answers live: this process's memory (bounded LRU) or Redis (shared by every gateway). */
export interface CacheStore {
  get(key: string): Promise<CachedResponse | undefined>;
  /** Keeps `entry` for `keepMs`, past its freshness, so a stale entry can be revalidated instead of refetched. */
  set(key: string, entry: CachedResponse, keepMs: number): Promise<void>;
  /** Drops every entry whose key starts with `prefix`; resolves to how many went. */
  invalidate(prefix: string): Promise<number>;
  /**
   * The current generation of a scope (0 until it is first bumped). Keys carry the generation of their
   * scope, so bumping it makes every entry filed under the old one unreachable at once; those expire.
   */
  generation(scope: string): Promise<number>;
  /** Moves each scope to a new generation, for every gateway sharing the store. */
  bumpGenerations(scopes: readonly string[]): Promise<void>;
}

/**
 * How long a scope's generation is remembered after it was last read or bumped. Entries are stored only
 * under a generation just read, and kept for their TTL plus at least a minute, so a generation unused
 * for this long has no entry left under it, and forgetting it (starting the scope again at 0) can bring
 * nothing stale back.
 */
export const GENERATION_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Entry to bytes: a length-prefixed JSON head, then the body as is (no base64 inflation). */
export function encodeEntry(entry: CachedResponse): Buffer {
  const { body, ...head } = entry;
  const json = Buffer.from(JSON.stringify(head));
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32BE(json.length, 0);
  return Buffer.concat([length, json, body]);
}

export function decodeEntry(bytes: Buffer): CachedResponse {
  const length = bytes.readUInt32BE(0);
  const head = JSON.parse(bytes.subarray(4, 4 + length).toString()) as Omit<CachedResponse, 'body'>;
  return { ...head, body: bytes.subarray(4 + length) };
}
