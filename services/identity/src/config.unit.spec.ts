import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@talad/service';
import { identityConfig, settingsFrom } from './config.ts';

const minimal = {
  DATABASE_URL: 'postgres://identity@127.0.0.1:5432/identity',
  ISSUER: 'http://localhost:8080/api/identity/',
};

describe('identityConfig', () => {
  it('needs only the database and the issuer, and defaults the rest', () => {
    const settings = settingsFrom(loadConfig(identityConfig, minimal));
    expect(settings).toEqual({
      issuer: 'http://localhost:8080/api/identity',
      audience: 'talad',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlDays: 30,
      keyRotationDays: 30,
      signingKeySecret: undefined,
      trustedProxies: '',
    });
  });

  it('names every bad variable at once, and never shows a secret', () => {
    let error: unknown;
    try {
      loadConfig(identityConfig, {
        ISSUER: 'not a url',
        ACCESS_TOKEN_TTL_SECONDS: '5',
        ADMIN_EMAIL: 'nobody',
        ADMIN_CLIENT_SECRET: 'short-secret',
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['DATABASE_URL', 'ISSUER', 'ACCESS_TOKEN_TTL_SECONDS', 'ADMIN_EMAIL', 'ADMIN_CLIENT_SECRET']) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('short-secret');
  });
});
