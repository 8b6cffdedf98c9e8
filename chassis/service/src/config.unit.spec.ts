import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies defaults and coerces numbers', () => {
    const config = loadConfig({ DATABASE_URL: z.string() }, { DATABASE_URL: 'postgres://x', PORT: '8101' });
    expect(config).toMatchObject({ PORT: 8101, HOST: '127.0.0.1', LOG_LEVEL: 'info', DATABASE_URL: 'postgres://x' });
  });

  it('names every bad or missing variable at once', () => {
    let caught: unknown;
    try {
      loadConfig({ DATABASE_URL: z.string() }, { PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toMatch(/PORT: .*got "eighty"/);
    expect(message).toMatch(/LOG_LEVEL: .*got "loud"/);
    expect(message).toMatch(/DATABASE_URL: .*it is not set/);
  });

  it('never prints the value of a secret', () => {
    expect(() => loadConfig({ DATABASE_URL: z.url() }, { DATABASE_URL: 'hunter2' })).toThrow(
      /DATABASE_URL: .*not shown/,
    );
    expect(() => loadConfig({ DATABASE_URL: z.url() }, { DATABASE_URL: 'hunter2' })).not.toThrow(/hunter2/);
  });
});
