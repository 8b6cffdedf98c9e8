import { timestampedSignature } from '@talad/core';

/** The header every status update carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'courier-signature';

/**
 * Signs a status update the way the receiver checks it: HMAC-SHA256, keyed by the secret given at
 * booking, over the timestamp, a dot and the exact body bytes. The timestamp inside the signature lets
 * the receiver refuse old updates; the receiver refuses a signature it has seen before, so a retry is
 * signed afresh (at least a second later, so with another timestamp).
 *
 * @example
 * signUpdate('s3cret', 1767225600, '{"status":"dispatched"}'); // 't=1767225600,v1=5d1f…'
 */
export function signUpdate(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${timestampedSignature(secret, timestampSeconds, body)}`;
}
