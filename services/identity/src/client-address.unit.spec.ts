import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustedProxies } from './client-address.ts';

const loopback = parseTrustedProxies('loopback');

describe('clientAddress', () => {
  it('takes the peer itself when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', parseTrustedProxies(''))).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', '198.51.100.1', parseTrustedProxies(''))).toBe('127.0.0.1');
  });

  it('takes the address a trusted proxy appended', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.9', loopback)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:127.0.0.1', '203.0.113.9', loopback)).toBe('203.0.113.9');
  });

  it('never goes past the first untrusted hop, so a client cannot pick its own address', () => {
    expect(clientAddress('127.0.0.1', '1.2.3.4, 203.0.113.9', loopback)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', ['1.2.3.4', '203.0.113.9, 127.0.0.2'], loopback)).toBe('203.0.113.9');
  });

  it('stays with the proxy when the header is missing or not an address', () => {
    expect(clientAddress('127.0.0.1', undefined, loopback)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', 'unknown', loopback)).toBe('127.0.0.1');
  });

  it('understands CIDR ranges and refuses nonsense settings', () => {
    const cluster = parseTrustedProxies('10.0.0.0/8, fd00::/8');
    expect(clientAddress('10.1.2.3', '203.0.113.9', cluster)).toBe('203.0.113.9');
    expect(clientAddress('fd00::1', '2001:db8::7', cluster)).toBe('2001:db8::7');
    expect(() => parseTrustedProxies('gateway')).toThrow(/TRUSTED_PROXIES/);
  });
});
