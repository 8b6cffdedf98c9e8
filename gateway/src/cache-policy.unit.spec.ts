import { describe, expect, it } from 'vitest';
import { etagMatches, isStorable, sameVariant, varyOf } from './cache-policy.ts';
import { decodeEntry, encodeEntry, type CachedResponse } from './cache-store.ts';

describe('cache policy', () => {
  it('stores successes only, never no-store, private, no-cache, cookies or Vary: *', () => {
    expect(isStorable(200, {})).toBe(true);
    expect(isStorable(204, { 'cache-control': 'public, max-age=60' })).toBe(true);
    expect(isStorable(404, {})).toBe(false);
    expect(isStorable(500, {})).toBe(false);
    expect(isStorable(206, {})).toBe(false);
    expect(isStorable(200, { 'cache-control': 'no-store' })).toBe(false);
    expect(isStorable(200, { 'cache-control': 'max-age=60, private' })).toBe(false);
    expect(isStorable(200, { 'cache-control': 'no-cache="set-cookie"' })).toBe(false);
    expect(isStorable(200, { 'set-cookie': ['a=1'] })).toBe(false);
    expect(isStorable(200, { vary: 'Accept-Encoding, *' })).toBe(false);
  });

  it('reads Vary and matches request variants', () => {
    expect(varyOf({ vary: 'Accept-Encoding, Accept-Language' })).toEqual(['accept-encoding', 'accept-language']);
    expect(sameVariant([['accept-language', 'th']], { 'accept-language': 'th' })).toBe(true);
    expect(sameVariant([['accept-language', 'th']], { 'accept-language': 'en' })).toBe(false);
    expect(sameVariant([['accept-language', '']], {})).toBe(true);
  });

  it('compares ETags weakly, in lists and with *', () => {
    expect(etagMatches('"a"', '"a"')).toBe(true);
    expect(etagMatches('W/"a"', '"a"')).toBe(true);
    expect(etagMatches('"x", "a"', 'W/"a"')).toBe(true);
    expect(etagMatches('*', '"a"')).toBe(true);
    expect(etagMatches('"b"', '"a"')).toBe(false);
  });

  it('encodes an entry for Redis and back, body bytes intact', () => {
    const entry: CachedResponse = {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from([0, 1, 2, 255]),
      etag: '"e"',
      upstreamEtag: false,
      storedAt: 1,
      freshUntil: 2,
      vary: [['accept-language', 'th']],
    };
    expect(decodeEntry(encodeEntry(entry))).toEqual(entry);
  });
});
