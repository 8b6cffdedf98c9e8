import { checkTimestampedSignature, timestampedSignature } from '@talad/core';

/**
 * How a counter service signs its webhooks, and how payment checks them: HMAC-SHA256, keyed with the
 * shared secret, over `<timestamp>.<raw body>`, sent as `v1=<hex>` in `x-counter-signature` beside
 * `x-counter-timestamp` (Unix seconds) and `x-counter-delivery-id`. The timestamp inside the signature
 * bounds a replay to the tolerance; the stored delivery id closes that window.
 */
export const COUNTER_WEBHOOK_HEADERS = {
  signature: 'x-counter-signature',
  timestamp: 'x-counter-timestamp',
  deliveryId: 'x-counter-delivery-id',
} as const;

/** How far a webhook's timestamp may be from now, either way. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;

/** The signature header's value for `body` sent at `timestamp` (Unix seconds). */
export function counterWebhookSignature(secret: string, timestamp: string, body: string): string {
  return `v1=${timestampedSignature(secret, timestamp, body)}`;
}

export type WebhookCheck = 'ok' | 'bad-signature' | 'stale';

/**
 * Checks a delivery: first that the signature is the secret's over this timestamp and body (compared
 * in constant time), then that the timestamp is within the tolerance of now.
 *
 * @example
 * checkCounterWebhook({ secret, signature, timestamp, body: rawBody, now: clock.now() }); // 'ok'
 */
export function checkCounterWebhook(input: {
  secret: string;
  signature: string | undefined;
  timestamp: string | undefined;
  body: string;
  now: Date;
  toleranceMs?: number;
}): WebhookCheck {
  const { signature, timestamp } = input;
  if (!signature?.startsWith('v1=') || !timestamp) return 'bad-signature';
  const check = checkTimestampedSignature({
    secret: input.secret,
    timestamp,
    digest: signature.slice('v1='.length),
    body: input.body,
    now: input.now,
    toleranceMs: input.toleranceMs ?? WEBHOOK_TOLERANCE_MS,
  });
  return check === 'mismatch' ? 'bad-signature' : check;
}
