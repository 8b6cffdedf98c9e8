import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature webhooks and callbacks carry: HMAC-SHA256, keyed with a shared secret, over
 * `<timestamp>.<body>` (Unix seconds, a dot, the exact body bytes), as hex. The timestamp inside the
 * signature lets a receiver refuse old deliveries.
 *
 * @example
 * timestampedSignature('s3cret', '1767225600', '{"status":"dispatched"}'); // '5d1f…' (64 hex digits)
 */
export function timestampedSignature(secret: string, timestamp: string | number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * Checks a timestamped signature: first that `digest` is the secret's over this timestamp and body
 * (compared in constant time), then that the timestamp is within `toleranceMs` of `now`, so only the
 * holder of the secret learns which of the two was wrong. A malformed timestamp or digest is a mismatch.
 */
export function checkTimestampedSignature(input: {
  secret: string;
  timestamp: string;
  digest: string;
  body: string;
  now: Date;
  toleranceMs: number;
}): 'ok' | 'mismatch' | 'stale' {
  if (!/^\d{1,12}$/.test(input.timestamp) || !/^[0-9a-f]{64}$/.test(input.digest)) return 'mismatch';
  const expected = Buffer.from(timestampedSignature(input.secret, input.timestamp, input.body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(input.digest, 'hex'))) return 'mismatch';
  return Math.abs(input.now.getTime() - Number(input.timestamp) * 1000) > input.toleranceMs ? 'stale' : 'ok';
}
