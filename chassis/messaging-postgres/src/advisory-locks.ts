/**
 * Advisory lock keys. The two-integer form keeps each kind of lock in its own namespace (the first
 * key), the second key being a hash of what is locked. A hash collision only means that one
 * instance owns both colliding partitions: never that two instances own one.
 */
export const LockNamespace = {
  /** Shared by every live instance of a group: counting its holders counts the group's members. */
  member: 7_201_979,
  /** Exclusive: the instance holding it reads and acknowledges that partition for its group. */
  partition: 7_201_980,
  /** Held by the instance that runs retention, for the length of one cleanup. */
  cleanup: 7_201_981,
  /** Held by a publisher of a partition until it commits, so a partition's positions become visible in order. */
  publish: 7_201_982,
} as const;

/** FNV-1a over UTF-8, as a signed 32-bit integer (PostgreSQL's int4). */
export function lockKey(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(parts.join('\u0000'))) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** The same key as `pg_locks` shows it (`classid`/`objid` are unsigned). */
export function unsignedKey(key: number): number {
  return key >>> 0;
}
