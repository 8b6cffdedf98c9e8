/**
 * A process that registers one instance in the PostgreSQL registry and then only heartbeats, so a test
 * can kill it with SIGKILL and watch the instance expire. Env: REGISTRY_URL, NAME, URL, TTL_MS.
 * Prints the instance id on stdout once registered.
 */
import { createPostgresDiscovery } from '../src/index.ts';

const discovery = createPostgresDiscovery({
  url: process.env['REGISTRY_URL'] ?? '',
  ttlMs: Number(process.env['TTL_MS'] ?? 1_000),
});
const registration = await discovery.register({
  name: process.env['NAME'] ?? 'fixture',
  version: 'test',
  url: process.env['URL'] ?? 'http://127.0.0.1:1',
});
process.stdout.write(`${registration.instance.id}\n`);
setInterval(() => undefined, 60_000);
