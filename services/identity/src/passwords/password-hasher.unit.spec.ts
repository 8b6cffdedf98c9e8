import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from './password-hasher.ts';

// Cheap parameters: the format and the comparison are under test here, not scrypt's cost.
const hasher = createPasswordHasher({ N: 2 ** 10, r: 8, p: 1 });

describe('createPasswordHasher', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const stored = await hasher.hash('Sawasdee 2026');
    expect(await hasher.verify('Sawasdee 2026', stored)).toBe(true);
    expect(await hasher.verify('sawasdee 2026', stored)).toBe(false);
    expect(await hasher.verify('', stored)).toBe(false);
  });

  it('keeps the parameters and a fresh salt with every hash, never the password', async () => {
    const first = await hasher.hash('Sawasdee 2026');
    const second = await hasher.hash('Sawasdee 2026');
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('Sawasdee');
  });

  it('treats the composed and decomposed forms of a Thai password as one', async () => {
    const composed = 'ก้าวหน้า2026x'.normalize('NFC');
    const stored = await hasher.hash(composed);
    expect(await hasher.verify(composed.normalize('NFD'), stored)).toBe(true);
  });

  it('verifies hashes made with other parameters, and says they need rehashing', async () => {
    const stronger = createPasswordHasher({ N: 2 ** 11, r: 8, p: 1 });
    const old = await hasher.hash('Sawasdee 2026');
    expect(await stronger.verify('Sawasdee 2026', old)).toBe(true);
    expect(stronger.needsRehash(old)).toBe(true);
    expect(stronger.needsRehash(await stronger.hash('Sawasdee 2026'))).toBe(false);
  });

  it('answers false for a malformed hash rather than throwing', async () => {
    expect(await hasher.verify('x', 'plaintext')).toBe(false);
    expect(await hasher.verify('x', 'scrypt$1$1$1$$')).toBe(false);
    expect(await hasher.verifyNothing('anything')).toBe(false);
  });
});
