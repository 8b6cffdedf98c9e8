import { timestampedSignature } from '@talad/core';

/** The headers of a signed delivery to the biller's webhook. */
export const WEBHOOK_HEADERS = {
  signature: 'x-counter-signature',
  timestamp: 'x-counter-timestamp',
  deliveryId: 'x-counter-delivery-id',
} as const;

/**
 * The signature of a delivery: HMAC-SHA256 keyed with the shared secret over `<timestamp>.<body>`
 * (Unix seconds, then the exact bytes sent), as `v1=<hex>`.
 *
 * @example
 * signDelivery('secret', '1767225600', '{"paymentCode":"…"}'); // 'v1=3f0c…'
 */
export function signDelivery(secret: string, timestamp: string, body: string): string {
  return `v1=${timestampedSignature(secret, timestamp, body)}`;
}

/** The headers of a delivery of `body`, signed now (or at `at`, to forge an old one in a test). */
export function signedHeaders(secret: string, body: string, deliveryId: string, at: Date): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    'content-type': 'application/json',
    [WEBHOOK_HEADERS.timestamp]: timestamp,
    [WEBHOOK_HEADERS.signature]: signDelivery(secret, timestamp, body),
    [WEBHOOK_HEADERS.deliveryId]: deliveryId,
  };
}
