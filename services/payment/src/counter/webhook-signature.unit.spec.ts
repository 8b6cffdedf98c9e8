import { describe, expect, it } from 'vitest';
import { checkCounterWebhook, counterWebhookSignature } from './webhook-signature.ts';

const secret = 'shared-secret';
const body = '{"paymentCode":"482019374650121","amount":{"amount":100,"currency":"THB"}}';
const now = new Date('2026-03-01T10:00:00Z');
const timestamp = String(now.getTime() / 1000);

describe('counter-service webhook signatures', () => {
  it("accept the secret's signature over the timestamp and body", () => {
    const signature = counterWebhookSignature(secret, timestamp, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(checkCounterWebhook({ secret, signature, timestamp, body, now })).toBe('ok');
  });

  it('refuse another secret, another body, another timestamp, or no signature', () => {
    const signature = counterWebhookSignature(secret, timestamp, body);
    expect(checkCounterWebhook({ secret: 'other', signature, timestamp, body, now })).toBe('bad-signature');
    expect(checkCounterWebhook({ secret, signature, timestamp, body: body.replace('100', '1'), now })).toBe(
      'bad-signature',
    );
    expect(checkCounterWebhook({ secret, signature, timestamp: String(Number(timestamp) + 1), body, now })).toBe(
      'bad-signature',
    );
    expect(checkCounterWebhook({ secret, signature: undefined, timestamp, body, now })).toBe('bad-signature');
    expect(checkCounterWebhook({ secret, signature: 'v1=abc', timestamp, body, now })).toBe('bad-signature');
  });

  it('refuse a well-signed delivery more than five minutes from now, either way', () => {
    const at = (seconds: number) => String(Number(timestamp) + seconds);
    const check = (t: string) =>
      checkCounterWebhook({ secret, signature: counterWebhookSignature(secret, t, body), timestamp: t, body, now });
    expect(check(at(-299))).toBe('ok');
    expect(check(at(-301))).toBe('stale');
    expect(check(at(301))).toBe('stale');
  });
});
