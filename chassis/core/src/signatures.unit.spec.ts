import { describe, expect, it } from 'vitest';
import { checkTimestampedSignature, timestampedSignature } from './signatures.ts';

describe('timestamped signatures', () => {
  const body = '{"status":"dispatched"}';
  const now = new Date(1_767_225_600_000);
  const check = (overrides: Partial<Parameters<typeof checkTimestampedSignature>[0]>) =>
    checkTimestampedSignature({
      secret: 's3cret',
      timestamp: '1767225600',
      digest: timestampedSignature('s3cret', '1767225600', body),
      body,
      now,
      toleranceMs: 300_000,
      ...overrides,
    });

  it('accepts the secret’s signature over this timestamp and body, within the tolerance', () => {
    expect(timestampedSignature('s3cret', 1_767_225_600, body)).toMatch(/^[0-9a-f]{64}$/);
    expect(check({})).toBe('ok');
    expect(check({ now: new Date(now.getTime() + 300_000) })).toBe('ok');
  });

  it('refuses another secret, another body, another timestamp and malformed input as a mismatch', () => {
    expect(check({ secret: 'other' })).toBe('mismatch');
    expect(check({ body: `${body} ` })).toBe('mismatch');
    expect(check({ timestamp: '1767225601' })).toBe('mismatch');
    expect(check({ timestamp: 'soon' })).toBe('mismatch');
    expect(check({ digest: 'v1=abc' })).toBe('mismatch');
  });

  it('refuses a good signature too far from now as stale', () => {
    expect(check({ now: new Date(now.getTime() + 300_001) })).toBe('stale');
    expect(check({ now: new Date(now.getTime() - 300_001) })).toBe('stale');
  });
});
