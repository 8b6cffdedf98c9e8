import { describe, expect, it } from 'vitest';
import { checkUpdateSignature, signUpdate } from './update-signature.ts';

const secret = 'a-shared-secret-of-some-length';
const body = '{"status":"dispatched"}';
const now = new Date('2026-01-01T00:00:00Z');
const nowSeconds = now.getTime() / 1000;

describe('courier update signatures', () => {
  it('accept the body signed with the secret within the tolerance', () => {
    const header = signUpdate(secret, nowSeconds - 60, body);
    expect(checkUpdateSignature(header, body, secret, now)).toEqual({ ok: true, signature: header.split('v1=')[1] });
  });

  it('refuse another secret, another body, a missing or malformed header', () => {
    expect(checkUpdateSignature(signUpdate('another-secret', nowSeconds, body), body, secret, now)).toEqual({
      ok: false,
      problem: 'mismatch',
    });
    expect(checkUpdateSignature(signUpdate(secret, nowSeconds, body), `${body} `, secret, now).ok).toBe(false);
    expect(checkUpdateSignature(undefined, body, secret, now)).toEqual({ ok: false, problem: 'missing' });
    for (const header of ['', 't=1', 'v1=abc', `t=x,v1=${'0'.repeat(64)}`, `t=1,v1=${'z'.repeat(64)}`]) {
      expect(checkUpdateSignature(header, body, secret, now)).toEqual({ ok: false, problem: 'malformed' });
    }
  });

  it('refuse a timestamp too far in the past or the future', () => {
    expect(checkUpdateSignature(signUpdate(secret, nowSeconds - 301, body), body, secret, now)).toEqual({
      ok: false,
      problem: 'stale',
    });
    expect(checkUpdateSignature(signUpdate(secret, nowSeconds + 301, body), body, secret, now).ok).toBe(false);
  });

  it('refuse a timestamp changed after signing', () => {
    const header = signUpdate(secret, nowSeconds - 400, body).replace(/t=\d+/, `t=${nowSeconds}`);
    expect(checkUpdateSignature(header, body, secret, now)).toEqual({ ok: false, problem: 'mismatch' });
  });
});
