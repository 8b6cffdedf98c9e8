import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { reachableUrl, registrationSettingsFromEnv } from './self-registration.ts';

describe('registration settings', () => {
  it('registers nowhere by default, with a 10 s TTL and a short leave delay', () => {
    expect(registrationSettingsFromEnv({})).toEqual({ DISCOVERY_TTL_SECONDS: 10, DISCOVERY_LEAVE_DELAY_MS: 250 });
  });

  it('names each bad variable', () => {
    const read = () =>
      registrationSettingsFromEnv({ DISCOVERY_URL: 'consul://x', PUBLIC_URL: 'ftp://x', DISCOVERY_TTL_SECONDS: '0' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/DISCOVERY_URL[\s\S]*PUBLIC_URL[\s\S]*DISCOVERY_TTL_SECONDS/);
  });
});

describe('reachableUrl', () => {
  it('keeps a concrete address and replaces a wildcard one with the machine name', () => {
    expect(reachableUrl('http://127.0.0.1:8101')).toBe('http://127.0.0.1:8101');
    expect(reachableUrl('http://0.0.0.0:8101')).not.toContain('0.0.0.0');
    expect(reachableUrl('http://[::]:8101')).toMatch(/^http:\/\/[^[\]]+:8101$/);
  });
});
