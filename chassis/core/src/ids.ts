import { randomFillSync } from 'node:crypto';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

let lastMillis = 0;
let sequence = 0;

// Random bytes are drawn in batches: one getrandom call per 256 ids instead of one per id.
const RANDOM_POOL_SIZE = 16 * 256;
const randomPool = Buffer.alloc(RANDOM_POOL_SIZE);
let randomOffset = RANDOM_POOL_SIZE;

function randomBlock(): Buffer {
  if (randomOffset === RANDOM_POOL_SIZE) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const block = Buffer.from(randomPool.subarray(randomOffset, randomOffset + 16));
  randomOffset += 16;
  return block;
}

/**
 * A UUIDv7 (RFC 9562): time-ordered, so ids created later sort later and index well.
 * Within one millisecond a 12-bit counter keeps ids from one process monotonic.
 *
 * @example
 * const orderId = newId(); // '0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e'
 */
export function newId(now: number = Date.now()): string {
  if (now > lastMillis) {
    lastMillis = now;
    sequence = 0;
  } else {
    sequence = (sequence + 1) & 0xfff;
    if (sequence === 0) lastMillis += 1;
  }
  const bytes = randomBlock();
  const millis = BigInt(lastMillis);
  for (let i = 0; i < 6; i++) bytes[i] = Number((millis >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** True for a well-formed RFC 9562 UUID of any version. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
