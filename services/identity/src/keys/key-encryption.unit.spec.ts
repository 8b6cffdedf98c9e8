import { describe, expect, it } from 'vitest';
import { createKeyEncryption } from './key-encryption.ts';

const jwk = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'the-private-part' };

describe('createKeyEncryption', () => {
  it('seals a key so that the stored form does not contain it, and opens it again', () => {
    const encryption = createKeyEncryption('a long and random secret for tests');
    const stored = encryption.seal('kid-1', jwk);
    expect(JSON.stringify(stored)).not.toContain('the-private-part');
    expect(encryption.open('kid-1', stored)).toEqual(jwk);
  });

  it('does not open a key under another kid or another secret', () => {
    const stored = createKeyEncryption('secret one, long enough').seal('kid-1', jwk);
    expect(() => createKeyEncryption('secret one, long enough').open('kid-2', stored)).toThrow(/does not open/);
    expect(() => createKeyEncryption('secret two, long enough').open('kid-1', stored)).toThrow(/does not open/);
    expect(() => createKeyEncryption(undefined).open('kid-1', stored)).toThrow(/SIGNING_KEY_SECRET is not set/);
  });

  it('stores keys plain when no secret is configured, and says so', () => {
    const encryption = createKeyEncryption(undefined);
    expect(encryption.sealing).toBe(false);
    expect(encryption.open('kid-1', encryption.seal('kid-1', jwk))).toEqual(jwk);
  });
});
