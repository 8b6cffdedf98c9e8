import { describe, expect, it } from 'vitest';
import { createTransport } from './create-transport.ts';

describe('createTransport', () => {
  it('names the schemes it knows when given another', async () => {
    await expect(createTransport('kafka://broker:9092')).rejects.toThrow(
      /no messaging transport for kafka:\/\/ URLs \(expected postgres:\/\/, amqp:\/\/, amqps:\/\/ or nats:\/\/\)/,
    );
  });

  it('refuses a value that is not a URL without echoing it (it may hold a password)', async () => {
    await expect(createTransport('secret-password')).rejects.toThrow(/^the broker URL is not a URL/);
    await expect(createTransport('secret-password')).rejects.not.toThrow(/secret/);
  });
});
