import { checkTimestampedSignature, timestampedSignature } from '@talad/core';

/** The header the courier signs its status updates in: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'courier-signature';

/** How far a signature's timestamp may be from our clock, either way, before the update is refused as stale. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck =
  { ok: true; signature: string } | { ok: false; problem: 'missing' | 'malformed' | 'mismatch' | 'stale' };

/**
 * Checks a courier update's signature: HMAC-SHA256, keyed by the shared secret, over `<t>.<body>`,
 * compared in constant time, with `t` within the tolerance of `now`. The signature is checked before
 * the timestamp, so only the holder of the secret learns which of the two was wrong. A good signature
 * is returned so the caller can refuse it the second time (a replay).
 *
 * @example
 * checkUpdateSignature(request.headers['courier-signature'], rawBody, secret, clock.now());
 */
export function checkUpdateSignature(
  header: string | string[] | undefined,
  body: string,
  secret: string,
  now: Date,
): SignatureCheck {
  if (header === undefined) return { ok: false, problem: 'missing' };
  if (Array.isArray(header)) return { ok: false, problem: 'malformed' };
  const fields = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = fields.get('t');
  const digest = fields.get('v1');
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !digest || !/^[0-9a-f]{64}$/.test(digest)) {
    return { ok: false, problem: 'malformed' };
  }
  const check = checkTimestampedSignature({
    secret,
    timestamp,
    digest,
    body,
    now,
    toleranceMs: SIGNATURE_TOLERANCE_SECONDS * 1000,
  });
  return check === 'ok' ? { ok: true, signature: digest } : { ok: false, problem: check };
}

/** Signs as the courier does; for tests, and for anyone writing a courier. */
export function signUpdate(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${timestampedSignature(secret, timestampSeconds, body)}`;
}
